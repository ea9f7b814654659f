package nvdimm.region.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.region.Badblocks;

/**
 * A badblocks list: an immutable sorted, merged snapshot in a volatile field, replaced under a validated
 * leaf mutex by writers. Also the conversions from scrub records (system physical addresses) to
 * region-relative sectors.
 */
final class RegionBadblocks implements Badblocks {
    private final String owner;
    private final Mutex lock;
    private volatile List<Range> ranges = List.of();

    RegionBadblocks(String owner, Lockdep lockdep) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lock = lockdep.newMutex(RegionLocks.BADBLOCKS);
    }

    @Override
    public List<Range> ranges() {
        return ranges;
    }

    @Override
    public Optional<Range> check(long sector, long count) {
        checkArgs("check", sector, count);
        List<Range> snapshot = ranges;
        // the first range ending after `sector` (ends are sorted as the ranges do not overlap)
        int lo = 0;
        int hi = snapshot.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (snapshot.get(mid).end() <= sector) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < snapshot.size() && snapshot.get(lo).overlaps(sector, count)) {
            return Optional.of(snapshot.get(lo));
        }
        return Optional.empty();
    }

    @Override
    public boolean add(long sector, long count) {
        checkArgs("add", sector, count);
        return addAll(List.of(new Range(sector, count)));
    }

    /** Adds every range at once; whether the list changed. */
    boolean addAll(Collection<Range> more) {
        if (more.isEmpty()) {
            return false;
        }
        lock.lock();
        try {
            List<Range> all = new ArrayList<>(ranges);
            all.addAll(more);
            List<Range> merged = merge(all);
            if (merged.equals(ranges)) {
                return false;
            }
            ranges = merged;
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean clear(long sector, long count) {
        checkArgs("clear", sector, count);
        long end = sector + count;
        lock.lock();
        try {
            List<Range> out = new ArrayList<>();
            boolean changed = false;
            for (Range r : ranges) {
                if (!r.overlaps(sector, count)) {
                    out.add(r);
                    continue;
                }
                changed = true;
                if (r.sector() < sector) {
                    out.add(new Range(r.sector(), sector - r.sector()));
                }
                if (r.end() > end) {
                    out.add(new Range(end, r.end() - end));
                }
            }
            if (changed) {
                ranges = List.copyOf(out);
            }
            return changed;
        } finally {
            lock.unlock();
        }
    }

    private void checkArgs(String what, long sector, long count) {
        if (sector < 0 || count <= 0 || sector > Long.MAX_VALUE - count) {
            throw new NvdimmException(Errno.EINVAL, owner + ": badblocks " + what + " of " + count + " sectors at "
                    + sector + ": the sector must not be negative and the count must be positive");
        }
    }

    /** Sorted by sector, overlapping and adjacent ranges joined. */
    static List<Range> merge(Collection<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::sector));
        List<Range> out = new ArrayList<>();
        Range cur = null;
        for (Range r : sorted) {
            if (cur == null) {
                cur = r;
            } else if (r.sector() <= cur.end()) {
                cur = new Range(cur.sector(), Math.max(cur.end(), r.end()) - cur.sector());
            } else {
                out.add(cur);
                cur = r;
            }
        }
        if (cur != null) {
            out.add(cur);
        }
        return List.copyOf(out);
    }

    /**
     * The part of a scrub record inside the region {@code [address, address + size)}, as region-relative
     * sectors rounded out (a record straddling the region's start or end is clipped to the region first);
     * empty when the record misses the region.
     */
    static Optional<Range> toRegionSectors(ErrorRecord record, long address, long size) {
        long start = Math.max(record.address(), address);
        long recordEnd = saturatedEnd(record.address(), record.length());
        long end = Math.min(recordEnd, saturatedEnd(address, size));
        if (start >= end) {
            return Optional.empty();
        }
        return Optional.of(Range.covering(start - address, end - start));
    }

    /** Every record's part inside the region, merged. */
    static List<Range> toRegionSectors(Collection<ErrorRecord> records, long address, long size) {
        List<Range> out = new ArrayList<>();
        for (ErrorRecord r : records) {
            toRegionSectors(r, address, size).ifPresent(out::add);
        }
        return merge(out);
    }

    /**
     * The sectors lying wholly within {@code [offset, offset + length)}: the start rounded up, the end
     * rounded down; empty when no whole sector fits.
     */
    static Optional<Range> wholeSectors(long offset, long length) {
        long first = Math.ceilDiv(offset, SECTOR_SIZE);
        long end = Math.floorDiv(saturatedEnd(offset, length), SECTOR_SIZE);
        return end > first ? Optional.of(new Range(first, end - first)) : Optional.empty();
    }

    private static long saturatedEnd(long start, long length) {
        return length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
    }

    @Override
    public String toString() {
        return owner + " badblocks " + ranges;
    }
}
