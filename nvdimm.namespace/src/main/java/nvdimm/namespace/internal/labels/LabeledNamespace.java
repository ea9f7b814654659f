package nvdimm.namespace.internal.labels;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import nvdimm.namespace.ClaimClass;

/**
 * A namespace as its labels describe it, in region terms: a label on each DIMM of the interleave set at
 * DPA {@code mapping.dpa + regionOffset / ways}, {@code size / ways} bytes each.
 *
 * @param uuid the namespace uuid
 * @param name the name ({@code alt_name}), if any
 * @param regionOffset where it starts in the region
 * @param size its bytes (the sum of its labels' {@code rawsize})
 * @param lbaSize the labels' {@code lbasize}
 * @param abstractionGuid the v1.2 abstraction GUID as text form (all zero for none, and for v1.1); kept as
 *     found, so an unknown one survives an update
 */
public record LabeledNamespace(UUID uuid, Optional<String> name, long regionOffset, long size, long lbaSize,
        UUID abstractionGuid) {

    public LabeledNamespace {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(abstractionGuid, "abstractionGuid");
    }

    /** The claim class of {@link #abstractionGuid()}. */
    public ClaimClass claimClass() {
        return ClaimClass.ofGuid(abstractionGuid);
    }
}
