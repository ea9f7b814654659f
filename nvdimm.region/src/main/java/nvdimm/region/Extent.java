package nvdimm.region;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A byte range of a region, relative to the region's start.
 *
 * @param offset the first byte
 * @param length how many bytes, greater than 0
 */
public record Extent(long offset, long length) {

    public Extent {
        if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("extent " + offset + " + " + length
                    + ": the offset must not be negative and the length must be positive");
        }
    }

    /** The first byte after the extent. */
    public long end() {
        return offset + length;
    }

    /**
     * The bytes {@code extents} cover within {@code [0, size)}, as extents in offset order that neither
     * overlap nor touch: each clipped to {@code size}, then overlapping and adjacent ones merged.
     */
    public static List<Extent> union(Collection<Extent> extents, long size) {
        List<Extent> clipped = new ArrayList<>();
        for (Extent e : extents) {
            long start = Math.min(e.offset(), size);
            long end = Math.min(e.end(), size);
            if (end > start) {
                clipped.add(new Extent(start, end - start));
            }
        }
        clipped.sort(Comparator.comparingLong(Extent::offset));
        List<Extent> merged = new ArrayList<>();
        for (Extent e : clipped) {
            Extent last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && e.offset() <= last.end()) {
                merged.set(merged.size() - 1, new Extent(last.offset(), Math.max(last.end(), e.end()) - last.offset()));
            } else {
                merged.add(e);
            }
        }
        return merged;
    }
}
