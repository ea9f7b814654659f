package nvdimm.namespace;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What {@code ndctl create-namespace} asks for. Empty fields take ndctl's defaults: the region with the
 * most free capacity that can hold the namespace, the largest free extent of it, a random uuid, no name,
 * {@link NamespaceMode#RAW}... (ndctl's own default mode, fsdax, is not supported here: a missing mode is
 * raw), the mode's default sector size.
 *
 * @param region {@code regionN} or {@code N}; empty for any
 * @param size bytes, a multiple of the region's alignment and of 4 KiB per DIMM of its interleave set (as
 *     ndctl's {@code validate_namespace_options}, another size is refused with EINVAL suggesting the next
 *     multiple, never rounded); empty for the largest free extent
 * @param mode the mode
 * @param uuid the uuid; empty for a random one
 * @param name the name (at most 63 bytes of UTF-8); empty for none
 * @param sectorSize the sector size (raw: the label's lbasize, 512 or 4096; sector: a BTT sector size)
 */
public record NamespaceSpec(Optional<String> region, OptionalLong size, NamespaceMode mode, Optional<UUID> uuid,
        Optional<String> name, OptionalInt sectorSize) {

    public NamespaceSpec {
        java.util.Objects.requireNonNull(region, "region");
        java.util.Objects.requireNonNull(size, "size");
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(uuid, "uuid");
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(sectorSize, "sectorSize");
    }

    /** A raw namespace with every default. */
    public static NamespaceSpec raw() {
        return new NamespaceSpec(Optional.empty(), OptionalLong.empty(), NamespaceMode.RAW, Optional.empty(),
                Optional.empty(), OptionalInt.empty());
    }
}
