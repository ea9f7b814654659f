package nvdimm.emul.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nvdimm.bus.spi.ErrorRecord;

/**
 * Keeps a bus's poison, which the bus tracks as system physical addresses, in each DIMM's
 * {@link PoisonFile} as DIMM physical addresses: a DIMM keeps its poison even when its bus gets
 * another address window at the next start. Only file-backed DIMMs that are in a region take part;
 * the files of other DIMMs are left alone. Not thread-safe: {@link Ars} calls it under its lock.
 */
final class DimmPoison {

    /** Where one DIMM's persistent memory lies in its region. */
    private record Placement(PoisonFile file, long regionAddress, int ways, int position, long granularity) {

        /** Region offset of DIMM physical address {@code dpa}. */
        long regionOffset(long dpa) {
            if (ways == 1) {
                return dpa;
            }
            return (dpa / granularity * ways + position) * granularity + dpa % granularity;
        }
    }

    private final List<Placement> placements = new ArrayList<>();
    private final Map<Placement, List<ErrorRecord>> saved = new HashMap<>();

    /**
     * @param dimms the bus's DIMMs
     * @param plans the bus's regions: DIMM indexes in position order, granularity
     * @param regionAddresses each region's system physical address, in plan order
     */
    DimmPoison(List<EmulDimm> dimms, List<EmulBus.RegionPlan> plans, List<Long> regionAddresses) {
        for (int k = 0; k < plans.size(); k++) {
            EmulBus.RegionPlan plan = plans.get(k);
            for (int position = 0; position < plan.dimms().size(); position++) {
                EmulDimm d = dimms.get(plan.dimms().get(position));
                if (d.file() != null) {
                    placements.add(new Placement(new PoisonFile(d.file(), d.descriptor().size()),
                            regionAddresses.get(k), plan.dimms().size(), position, plan.granularity()));
                }
            }
        }
    }

    /**
     * Reads every DIMM's poison list.
     *
     * @return the poison as system physical address ranges
     * @throws nvdimm.bus.NvdimmException EINVAL naming the file for a corrupt list
     */
    List<ErrorRecord> load() {
        List<ErrorRecord> spa = new ArrayList<>();
        for (Placement p : placements) {
            RangeSet ranges = new RangeSet();
            for (ErrorRecord r : p.file().load()) {
                ranges.add(r.address(), r.address() + r.length());
            }
            saved.put(p, ranges.all());
            for (ErrorRecord r : ranges.all()) {
                forEachGranule(p, r.address(), r.length(), (dpa, offset, n) ->
                        spa.add(new ErrorRecord(p.regionAddress() + offset, n)));
            }
        }
        return spa;
    }

    /**
     * Writes the lists of the DIMMs whose poison differs from what is on disk.
     *
     * @param spaPoison the bus's whole poison, as system physical address ranges
     * @throws nvdimm.bus.NvdimmException with the file system's errno when a list cannot be written
     */
    void save(List<ErrorRecord> spaPoison) {
        Map<Placement, RangeSet> perDimm = new HashMap<>();
        for (Placement p : placements) {
            perDimm.put(p, new RangeSet());
        }
        for (ErrorRecord r : spaPoison) {
            for (Placement p : placements) {
                long regionEnd = p.regionAddress() + p.file().pmemSize() * p.ways();
                long start = Math.max(r.address(), p.regionAddress());
                long end = Math.min(r.address() + r.length(), regionEnd);
                if (start < end) {
                    collect(p, start - p.regionAddress(), end - start, perDimm.get(p));
                }
            }
        }
        for (Placement p : placements) {
            List<ErrorRecord> now = perDimm.get(p).all();
            if (!now.equals(saved.getOrDefault(p, List.of()))) {
                p.file().save(now);
                saved.put(p, now);
            }
        }
    }

    /** Adds the part of region range {@code [offset, offset + length)} that lies on {@code p}'s DIMM. */
    private static void collect(Placement p, long offset, long length, RangeSet into) {
        if (p.ways() == 1) {
            into.add(offset, offset + length);
            return;
        }
        long g = p.granularity();
        long o = offset;
        long end = offset + length;
        while (o < end) {
            long chunk = o / g;
            long n = Math.min(g - o % g, end - o);
            if (chunk % p.ways() == p.position()) {
                long dpa = chunk / p.ways() * g + o % g;
                into.add(dpa, dpa + n);
            }
            o += n;
        }
    }

    @FunctionalInterface
    private interface GranuleVisitor {
        void visit(long dpa, long regionOffset, long length);
    }

    /** Splits a DIMM range at interleave granule boundaries, giving each piece's region offset. */
    private static void forEachGranule(Placement p, long dpa, long length, GranuleVisitor visitor) {
        if (p.ways() == 1) {
            visitor.visit(dpa, dpa, length);
            return;
        }
        long g = p.granularity();
        long d = dpa;
        long end = dpa + length;
        while (d < end) {
            long n = Math.min(g - d % g, end - d);
            visitor.visit(d, p.regionOffset(d), n);
            d += n;
        }
    }
}
