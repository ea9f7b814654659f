package nvdimm.shell.internal.ndctl;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * What {@code inject-error} and {@code clear-errors} aim at: a namespace, as in ndctl, whose 512-byte
 * blocks count from the namespace's start and reach the region through {@link Namespace#regionOffset()};
 * or a whole region ({@code regionN}, {@code N}), blocks counted from the region's start.
 *
 * @param region the region the blocks lie in
 * @param name what the command names in its messages
 * @param base the first byte of the target in its region
 * @param sectors how many 512-byte blocks the target has
 * @param namespace the namespace's name, for a namespace target
 */
record ErrorTarget(Region region, String name, long base, long sectors, Optional<String> namespace) {

    /** The target named by the command's one argument. */
    static ErrorTarget of(Options opt, RegionLookup regions, Supplier<Namespaces> namespaces) {
        if (opt.args().size() != 1) {
            throw new UsageError(opt.args().isEmpty() ? "name the namespace or region" : "give one namespace or region, not " + opt.args());
        }
        String name = opt.args().get(0);
        if (!name.startsWith("namespace")) {
            Region region = regions.enabled(name);
            return new ErrorTarget(region, region.name(), 0, region.size() / Badblocks.SECTOR_SIZE, Optional.empty());
        }
        Namespaces service = namespaces.get();
        if (service == null) {
            throw new NvdimmException(Errno.ENODEV, name + ": no such namespace (the namespace service is not running)");
        }
        if (service.info(name).isEmpty()) { // ndctl's inject-error and clear-errors: -ENXIO
            throw new NvdimmException(Errno.ENXIO, name + ": no such namespace");
        }
        Namespace ns = service.find(name).orElseThrow(() ->
                new NvdimmException(Errno.ENXIO, name + ": the namespace is disabled"));
        return new ErrorTarget(ns.region(), ns.name(), ns.regionOffset(), ns.size() / Badblocks.SECTOR_SIZE, Optional.of(ns.name()));
    }

    /** Refuses blocks outside the target. */
    void check(long block, long count) {
        if (block >= sectors || count > sectors - block) {
            // the last block as typed, even where block + count - 1 would pass Long.MAX_VALUE
            String last = java.math.BigInteger.valueOf(block).add(java.math.BigInteger.valueOf(count - 1)).toString();
            throw new UsageError(name + ": blocks " + block + ".." + last + " are beyond its " + sectors + " blocks");
        }
    }

    /** The region's byte offset of a block of the target. */
    long regionOffset(long block) {
        return base + block * Badblocks.SECTOR_SIZE;
    }

    /** The region's ranges clipped to the target, in the target's blocks. */
    List<Badblocks.Range> clip(List<Badblocks.Range> regionRanges) {
        long first = base / Badblocks.SECTOR_SIZE;
        long end = first + sectors;
        return regionRanges.stream()
                .filter(r -> r.end() > first && r.sector() < end)
                .map(r -> {
                    long s = Math.max(r.sector(), first);
                    long e = Math.min(r.end(), end);
                    return new Badblocks.Range(s - first, e - s);
                }).toList();
    }
}
