package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.List;

import nvdimm.region.Extent;
import nvdimm.region.Region;

/**
 * Free capacity of a region, from what its labels reserve: the complement of the reservations, each
 * free run trimmed to the namespace alignment so a namespace placed in it starts and ends where labels can.
 */
final class Capacity {
    /** Label DPAs and sizes are 4 KiB multiples on every DIMM (Linux's slot_valid). */
    static final long LABEL_ALIGN = 4096;

    private Capacity() {
    }

    /**
     * What a namespace's offset and size must be multiples of: the region's alignment and 4 KiB per DIMM
     * of the interleave set (ndctl: {@code size % region_align} and {@code size % (PAGE_SIZE * ways)}).
     */
    static long alignment(Region region) {
        long perDimm = LABEL_ALIGN * Math.max(1, region.interleaveWays());
        return lcm(region.align(), perDimm);
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** The free runs of a region of {@code size} bytes, each trimmed to {@code align}, in offset order. */
    static List<Extent> free(List<Extent> used, long size, long align) {
        List<Extent> out = new ArrayList<>();
        long at = 0;
        for (Extent e : Extent.union(used, size)) {
            add(out, at, e.offset(), align);
            at = e.end();
        }
        add(out, at, size, align);
        return out;
    }

    private static void add(List<Extent> out, long start, long end, long align) {
        long s = Math.ceilDiv(start, align) * align;
        long e = Math.floorDiv(end, align) * align;
        if (e > s) {
            out.add(new Extent(s, e - s));
        }
    }

    /** The largest free run; the first of equals (ndctl takes the largest free extent); null when none. */
    static Extent largest(List<Extent> free) {
        Extent best = null;
        for (Extent e : free) {
            if (best == null || e.length() > best.length()) {
                best = e;
            }
        }
        return best;
    }

    /** {@code used} without {@code [offset, offset + length)}: what the others use when a namespace changes in place. */
    static List<Extent> without(List<Extent> used, long offset, long length) {
        List<Extent> out = new ArrayList<>();
        long end = offset + length;
        for (Extent e : used) {
            if (e.end() <= offset || e.offset() >= end) {
                out.add(e);
                continue;
            }
            if (e.offset() < offset) {
                out.add(new Extent(e.offset(), offset - e.offset()));
            }
            if (e.end() > end) {
                out.add(new Extent(end, e.end() - end));
            }
        }
        return out;
    }

    /** Whether {@code [offset, offset + length)} is wholly free. */
    static boolean fits(List<Extent> free, long offset, long length) {
        for (Extent e : free) {
            if (offset >= e.offset() && offset + length <= e.end()) {
                return true;
            }
        }
        return false;
    }

    /** A size for messages: {@code 16 MiB}, {@code 12 KiB}, {@code 700 bytes}. */
    static String human(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        long[] sizes = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= sizes[i] && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + " " + units[i];
            }
        }
        return bytes + " bytes";
    }
}
