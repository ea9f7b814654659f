package nvdimm.namespace;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import nvdimm.region.Badblocks;

/**
 * A snapshot of a namespace device for listings ({@code ndctl list -N}), enabled or not.
 *
 * @param dev the device name, {@code namespaceR.N}
 * @param region the region's name
 * @param labeled whether labels describe it
 * @param seed whether it is the region's idle seed namespace (size 0; hidden from {@code list} without
 *     {@code -i} and never swept by {@code all})
 * @param mode its mode
 * @param size bytes
 * @param uuid the uuid (labeled namespaces)
 * @param name the name, if one was given
 * @param sectorSize ndctl's {@code sector_size}: the BTT's external sector size in sector mode, the
 *     label's lbasize for a labeled raw namespace; empty when the namespace sets none (a label-less raw
 *     one, for which ndctl shows the kernel's default 512, or a sector one whose BTT is not loaded)
 * @param blockdev the block device's name while it has one ({@code pmem0}, {@code pmem0s})
 * @param enabled whether bound
 * @param problem why a disabled namespace is disabled (a set that does not assemble, a failed probe)
 * @param badblocks its bad sectors, relative to its start
 */
public record NamespaceInfo(String dev, String region, boolean labeled, boolean seed, NamespaceMode mode, long size,
        Optional<UUID> uuid, Optional<String> name, OptionalInt sectorSize, Optional<String> blockdev,
        boolean enabled, Optional<String> problem, List<Badblocks.Range> badblocks) {

    public NamespaceInfo {
        badblocks = List.copyOf(badblocks);
    }
}
