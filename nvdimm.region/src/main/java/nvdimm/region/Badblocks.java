package nvdimm.region;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A list of bad 512-byte sectors, as Linux keeps for a region ({@code regionN/badblocks}) and for a
 * disk: sorted, non-overlapping ranges of sector numbers, adjacent ranges merged. Sector numbers are
 * relative to the start of the object the list belongs to (a region's list counts from the region's
 * first byte).
 *
 * <p>Thread-safe. Readers never block: {@link #ranges()} and {@link #check} read an immutable snapshot,
 * the counterpart of the seqlock Linux reads badblocks under; {@link #add} and {@link #clear} are
 * serialised by a validated lock of the leaf class {@value #LOCK_CLASS} and publish a new snapshot.
 */
@ProviderType
public interface Badblocks {
    /** Bytes per sector. */
    int SECTOR_SIZE = 512;

    /** The lock class that serialises changes. */
    String LOCK_CLASS = "nd_region.badblocks";

    /**
     * A run of bad sectors ({@code sector count} in sysfs).
     *
     * @param sector the first bad sector
     * @param count how many sectors, greater than 0
     */
    record Range(long sector, long count) {

        public Range {
            if (sector < 0 || count <= 0 || sector > Long.MAX_VALUE - count) {
                throw new IllegalArgumentException("badblocks range " + sector + " + " + count
                        + ": the sector must not be negative and the count must be positive");
            }
        }

        /** The first sector after the range. */
        public long end() {
            return sector + count;
        }

        /** Whether the range shares a sector with {@code [sector, sector + count)}. */
        public boolean overlaps(long sector, long count) {
            return sector < end() && this.sector < sector + count;
        }

        /**
         * The sectors that hold any byte of {@code [offset, offset + length)}: the start rounded down and
         * the end rounded up to whole sectors.
         */
        public static Range covering(long offset, long length) {
            if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
                throw new IllegalArgumentException("byte range " + offset + " + " + length
                        + ": the offset must not be negative and the length must be positive");
            }
            long first = offset / SECTOR_SIZE;
            long end = Math.ceilDiv(offset + length, SECTOR_SIZE);
            return new Range(first, end - first);
        }

        /** {@code "sector count"}, one line of sysfs {@code badblocks}. */
        @Override
        public String toString() {
            return sector + " " + count;
        }
    }

    /** An immutable snapshot of the ranges, in sector order, merged. */
    List<Range> ranges();

    /** Whether no sector is bad. */
    default boolean isEmpty() {
        return ranges().isEmpty();
    }

    /** How many sectors are bad in all. */
    default long sectors() {
        long n = 0;
        for (Range r : ranges()) {
            n += r.count();
        }
        return n;
    }

    /**
     * Linux's {@code badblocks_check}: the first recorded range that shares a sector with
     * {@code [sector, sector + count)} (the whole recorded range, not clipped to the query), or empty
     * when every sector of the query is good.
     *
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative sector or a count of 0 or less
     */
    Optional<Range> check(long sector, long count);

    /** Whether any sector of {@code [sector, sector + count)} is bad; see {@link #check}. */
    default boolean isBad(long sector, long count) {
        return check(sector, count).isPresent();
    }

    /**
     * Marks {@code [sector, sector + count)} bad, merging with overlapping and adjacent ranges.
     *
     * @return whether the list changed
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative sector or a count of 0 or less
     */
    boolean add(long sector, long count);

    /**
     * Marks {@code [sector, sector + count)} good, splitting a range that sticks out on both sides.
     *
     * @return whether the list changed
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative sector or a count of 0 or less
     */
    boolean clear(long sector, long count);
}
