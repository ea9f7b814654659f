package nvdimm.namespace;

import java.util.Optional;
import java.util.UUID;

/**
 * What a v1.2 label's {@code abstraction_guid} says claims the namespace (Linux's {@code enum
 * nvdimm_claim_class}). v1.1 labels have no abstraction GUID: their class is {@link #NONE} and the mode is
 * found from the namespace's info block.
 */
public enum ClaimClass {
    /** The null GUID: a raw namespace. */
    NONE(new UUID(0, 0), NamespaceMode.RAW),
    /** BTT v1.1 ({@code 8aed63a2-29a2-4c66-8b12-f05d15d3922a}). */
    BTT(UUID.fromString("8aed63a2-29a2-4c66-8b12-f05d15d3922a"), NamespaceMode.SECTOR),
    /** BTT v2.0 ({@code 18633bfc-1735-4217-8ac9-17239282d3f8}), what v1.2 labels carry for sector mode. */
    BTT2(UUID.fromString("18633bfc-1735-4217-8ac9-17239282d3f8"), NamespaceMode.SECTOR),
    /** PFN ({@code 266400ba-fb9f-4677-bcb0-968f11d0d225}): fsdax. */
    PFN(UUID.fromString("266400ba-fb9f-4677-bcb0-968f11d0d225"), NamespaceMode.FSDAX),
    /** Device DAX ({@code 97a86d9c-3cdd-4eda-986f-5068b4f80088}): devdax. */
    DAX(UUID.fromString("97a86d9c-3cdd-4eda-986f-5068b4f80088"), NamespaceMode.DEVDAX),
    /** A GUID this stack does not know; kept untouched on updates, as Linux does. */
    UNKNOWN(null, NamespaceMode.RAW);

    private final UUID guid;
    private final NamespaceMode mode;

    ClaimClass(UUID guid, NamespaceMode mode) {
        this.guid = guid;
        this.mode = mode;
    }

    /** The abstraction GUID in its text form; empty for {@link #UNKNOWN}. */
    public Optional<UUID> guid() {
        return Optional.ofNullable(guid);
    }

    /** The mode a namespace of this class is in. */
    public NamespaceMode mode() {
        return mode;
    }

    /** The class of an abstraction GUID (text form); {@link #UNKNOWN} for one not listed. */
    public static ClaimClass ofGuid(UUID guid) {
        for (ClaimClass c : values()) {
            if (guid.equals(c.guid)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
