package nvdimm.emul.internal;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;

/**
 * A region's memory over its DIMMs' media: byte {@code x} of the region is in granule
 * {@code g = x / granularity}, which lies on part {@code g % ways} at
 * {@code base + (g / ways) * granularity + x % granularity}. One part with a granularity of the
 * whole size is a plain slice of a medium (a DIMM's persistent memory without its label area).
 *
 * <p>Atomic accesses go to one part: the granularity and the bases are multiples of 8, so an
 * aligned 4- or 8-byte access never straddles a granule. Bulk accesses are split at granule
 * boundaries; the granule walk shifts (or divides, for odd shapes) once per call and forwards the
 * caller's array or segment with an offset, so the I/O path allocates nothing. An access within one
 * granule, the usual block I/O, goes to its part without entering the walk's loop. {@link #persist} persists, on each part, the
 * span of that part the range covers; {@link #drain} and {@link #sync} reach each distinct part
 * medium once.
 *
 * <p>Closing the view does not close the parts, which belong to the bus. It refuses new accesses
 * with ENXIO and waits for the accesses in flight, so that when it returns nothing more reaches a
 * DIMM through this view (the bus syncs and closes the DIMMs next). When every part medium lends a
 * {@linkplain Medium#window window} on its share (memory and mapped files do), reads, writes and
 * atomic accesses go through the windows, named as this view, and closing the view closes them: the
 * JDK then stops the accesses in flight (a handshake with the accessing threads when their arenas
 * close), and an access costs what the part's own does. Otherwise, and always for persist, drain and
 * sync, accesses are counted by {@link InFlight}, without a lock or an allocation but with two atomic
 * adds, whose fences make each 4 KiB write wait for its stores to drain (about 10 ns of a 75 ns write
 * and read pair, bench/README.md); {@code close} waits for the count on a lockdep wait point (accesses
 * take no lock and wait for nothing, so they cannot close a cycle with it).
 */
final class StripedMedium implements Medium {

    /** One DIMM's share: its medium and where the region's bytes start on it. */
    record Part(Medium medium, long base) {
        Part {
            Objects.requireNonNull(medium, "medium");
            if (base < 0 || base % Long.BYTES != 0) {
                throw new IllegalArgumentException("part base " + base + " must be a non-negative multiple of 8");
            }
        }
    }

    private final String name;
    private final List<Part> parts;
    /**
     * The media and bases by interleave position, as arrays for the I/O path: the parts' windows at
     * base 0, or the parts' media at their bases when some part lends no window.
     */
    private final Medium[] media;
    private final long[] bases;
    /** The windows {@link #close()} closes; empty when the accesses are counted instead. */
    private final Medium[] windows;
    /** Whether reads, writes and atomic accesses are counted by {@link #inFlight} (no windows). */
    private final boolean counted;
    /** Each part medium once, for drain and sync (a medium may hold several parts). */
    private final Medium[] distinct;
    private final int ways;
    private final long granularity;
    /**
     * log2 of the granularity and of the ways when they are powers of two (the usual interleave:
     * 4 KiB granules over 2 or 4 DIMMs), else -1: the granule walk then shifts instead of dividing,
     * as a 64-bit division costs more than the rest of the walk.
     */
    private final int granularityShift;
    private final int waysShift;
    private final long size;
    private final Persistence persistence;
    private final InFlight inFlight;
    /** What {@link #enterAccess()} returns for an access it did not count (cells are positive). */
    private static final int NOT_COUNTED = 0;

    /**
     * @param name the name errors use
     * @param parts the DIMMs in interleave position order; each must hold
     *     {@code base + size / parts.size()} bytes
     * @param granularity bytes per granule, a multiple of 8 dividing {@code size / parts.size()}
     * @param size the region's size, a multiple of {@code parts.size() * granularity}
     * @param lockdep validates the wait of {@link #close()} for the accesses in flight
     */
    StripedMedium(String name, List<Part> parts, long granularity, long size, Lockdep lockdep) {
        this.name = Objects.requireNonNull(name, "name");
        this.parts = List.copyOf(parts);
        this.granularity = granularity;
        this.size = size;
        this.inFlight = new InFlight(lockdep.newWaitPoint(Locks.MEDIUM_CLOSE));
        this.ways = this.parts.size();
        this.granularityShift = Long.bitCount(granularity) == 1 ? Long.numberOfTrailingZeros(granularity) : -1;
        this.waysShift = Integer.bitCount(ways) == 1 ? Integer.numberOfTrailingZeros(ways) : -1;
        Medium[] partMedia = this.parts.stream().map(Part::medium).toArray(Medium[]::new);
        Set<Medium> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        this.distinct = Arrays.stream(partMedia).filter(seen::add).toArray(Medium[]::new);
        if (this.parts.isEmpty() || granularity <= 0 || granularity % Long.BYTES != 0 || size <= 0
                || size % (granularity * this.parts.size()) != 0) {
            throw new IllegalArgumentException(name + ": " + this.parts.size() + " parts, granularity " + granularity
                    + " and size " + size + " do not make an interleave");
        }
        long share = size / this.parts.size();
        Persistence weakest = Persistence.POWER_FAILURE;
        for (Part p : this.parts) {
            if (p.base() > p.medium().size() - share) {
                throw new IllegalArgumentException(name + ": " + p.medium().name() + " holds " + p.medium().size()
                        + " bytes, fewer than " + p.base() + " + " + share);
            }
            if (p.medium().persistence().compareTo(weakest) < 0) {
                weakest = p.medium().persistence();
            }
        }
        this.persistence = weakest;
        this.windows = windows(name, this.parts, share);
        this.counted = windows.length == 0;
        this.media = counted ? partMedia : windows;
        this.bases = counted ? this.parts.stream().mapToLong(Part::base).toArray() : new long[ways];
    }

    /** A window on each part's share, named {@code name}; none when some part lends none. */
    private static Medium[] windows(String name, List<Part> parts, long share) {
        Medium[] windows = new Medium[parts.size()];
        int opened = 0;
        try {
            for (Part p : parts) {
                Optional<Medium> window = p.medium().window(name, p.base(), share);
                if (window.isEmpty()) {
                    break;
                }
                windows[opened++] = window.get();
            }
        } finally {
            if (opened < windows.length) {
                for (int i = 0; i < opened; i++) {
                    windows[i].close();
                }
            }
        }
        return opened == windows.length ? windows : new Medium[0];
    }

    /** A view of {@code [base, base + size)} of one medium. */
    static StripedMedium slice(String name, Medium medium, long base, long size, Lockdep lockdep) {
        return new StripedMedium(name, List.of(new Part(medium, base)), size, size, lockdep);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Persistence persistence() {
        return persistence;
    }

    /** The granule of {@code offset}. */
    private long granule(long offset) {
        return granularityShift >= 0 ? offset >>> granularityShift : offset / granularity;
    }

    /** The part holding {@code granule}. */
    private int way(long granule) {
        return (int) (waysShift >= 0 ? granule & (ways - 1) : granule % ways);
    }

    /** The row of {@code granule}: its position among its part's granules. */
    private long row(long granule) {
        return waysShift >= 0 ? granule >>> waysShift : granule / ways;
    }

    /** The part holding the granule of {@code offset}. */
    private int partIndex(long offset) {
        return ways == 1 ? 0 : way(granule(offset));
    }

    /** Where {@code offset} lies on its part. */
    private long partOffset(long offset) {
        if (ways == 1) {
            return bases[0] + offset;
        }
        long granule = granule(offset);
        return bases[way(granule)] + row(granule) * granularity + (offset - granule * granularity);
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        Objects.requireNonNull(dst, "dst");
        checkArray(dst.length, off, len);
        checkRange(offset, len);
        int cell = enterAccess();
        try {
            // one call into a part, so the compiled method stays small enough for callers to inline it
            int way = 0;
            long at = bases[0] + offset;
            if (ways != 1) {
                long granule = granule(offset);
                long within = offset - granule * granularity;
                way = way(granule);
                long row = row(granule) * granularity;
                if (len > granularity - within) {
                    readAcross(way, row, within, dst, off, len);
                    return;
                }
                at = bases[way] + row + within; // the usual access: within one granule
            }
            media[way].read(at, dst, off, len);
        } finally {
            exitAccess(cell);
        }
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        Objects.requireNonNull(src, "src");
        checkArray(src.length, off, len);
        checkRange(offset, len);
        int cell = enterAccess();
        try {
            // one call into a part, so the compiled method stays small enough for callers to inline it
            int way = 0;
            long at = bases[0] + offset;
            if (ways != 1) {
                long granule = granule(offset);
                long within = offset - granule * granularity;
                way = way(granule);
                long row = row(granule) * granularity;
                if (len > granularity - within) {
                    writeAcross(way, row, within, src, off, len);
                    return;
                }
                at = bases[way] + row + within; // the usual access: within one granule
            }
            media[way].write(at, src, off, len);
        } finally {
            exitAccess(cell);
        }
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        read(offset, dst, 0, dst.byteSize());
    }

    @Override
    public void write(long offset, MemorySegment src) {
        Objects.requireNonNull(src, "src");
        write(offset, src, 0, src.byteSize());
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long len) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new NvdimmException(Errno.EINVAL, name + ": cannot read into a read-only segment");
        }
        checkSegment(dst, dstOffset, len);
        checkRange(offset, len);
        int cell = enterAccess();
        try {
            // one call into a part, so the compiled method stays small enough for callers to inline it
            int way = 0;
            long at = bases[0] + offset;
            if (ways != 1) {
                long granule = granule(offset);
                long within = offset - granule * granularity;
                way = way(granule);
                long row = row(granule) * granularity;
                if (len > granularity - within) {
                    readAcross(way, row, within, dst, dstOffset, len);
                    return;
                }
                at = bases[way] + row + within; // the usual access: within one granule
            }
            media[way].read(at, dst, dstOffset, len);
        } finally {
            exitAccess(cell);
        }
    }

    @Override
    public void write(long offset, MemorySegment src, long srcOffset, long len) {
        Objects.requireNonNull(src, "src");
        checkSegment(src, srcOffset, len);
        checkRange(offset, len);
        int cell = enterAccess();
        try {
            // one call into a part, so the compiled method stays small enough for callers to inline it
            int way = 0;
            long at = bases[0] + offset;
            if (ways != 1) {
                long granule = granule(offset);
                long within = offset - granule * granularity;
                way = way(granule);
                long row = row(granule) * granularity;
                if (len > granularity - within) {
                    writeAcross(way, row, within, src, srcOffset, len);
                    return;
                }
                at = bases[way] + row + within; // the usual access: within one granule
            }
            media[way].write(at, src, srcOffset, len);
        } finally {
            exitAccess(cell);
        }
    }

    /** The granule walk of a read that crosses granules, out of line. */
    private void readAcross(int way, long row, long within, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, granularity - within);
            media[way].read(bases[way] + row + within, dst, off + done, n);
            done += n;
            within = 0;
            if (++way == ways) {
                way = 0;
                row += granularity;
            }
        }
    }

    /** The granule walk of a write that crosses granules, out of line. */
    private void writeAcross(int way, long row, long within, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, granularity - within);
            media[way].write(bases[way] + row + within, src, off + done, n);
            done += n;
            within = 0;
            if (++way == ways) {
                way = 0;
                row += granularity;
            }
        }
    }

    /** The granule walk of a read that crosses granules, out of line. */
    private void readAcross(int way, long row, long within, MemorySegment dst, long dstOffset, long len) {
        long done = 0;
        while (done < len) {
            long n = Math.min(len - done, granularity - within);
            media[way].read(bases[way] + row + within, dst, dstOffset + done, n);
            done += n;
            within = 0;
            if (++way == ways) {
                way = 0;
                row += granularity;
            }
        }
    }

    /** The granule walk of a write that crosses granules, out of line. */
    private void writeAcross(int way, long row, long within, MemorySegment src, long srcOffset, long len) {
        long done = 0;
        while (done < len) {
            long n = Math.min(len - done, granularity - within);
            media[way].write(bases[way] + row + within, src, srcOffset + done, n);
            done += n;
            within = 0;
            if (++way == ways) {
                way = 0;
                row += granularity;
            }
        }
    }

    @Override
    public int readInt(long offset) {
        checkAtomic(offset, Integer.BYTES);
        int cell = enterAccess();
        try {
            return media[partIndex(offset)].readInt(partOffset(offset));
        } finally {
            exitAccess(cell);
        }
    }

    @Override
    public long readLong(long offset) {
        checkAtomic(offset, Long.BYTES);
        int cell = enterAccess();
        try {
            return media[partIndex(offset)].readLong(partOffset(offset));
        } finally {
            exitAccess(cell);
        }
    }

    @Override
    public void writeInt(long offset, int value) {
        checkAtomic(offset, Integer.BYTES);
        int cell = enterAccess();
        try {
            media[partIndex(offset)].writeInt(partOffset(offset), value);
        } finally {
            exitAccess(cell);
        }
    }

    @Override
    public void writeLong(long offset, long value) {
        checkAtomic(offset, Long.BYTES);
        int cell = enterAccess();
        try {
            media[partIndex(offset)].writeLong(partOffset(offset), value);
        } finally {
            exitAccess(cell);
        }
    }

    /**
     * Persists, on every part the range touches, the part's span from the first to the last byte
     * of the range it holds. That may persist more than the range, which a barrier allows.
     */
    @Override
    public void persist(long offset, long length) {
        checkRange(offset, length);
        if (length == 0) {
            checkOpen();
            return;
        }
        int cell = enter();
        try {
            long last = offset + length - 1;
            long firstGranule = granule(offset);
            long lastGranule = granule(last);
            for (int way = 0; way < ways; way++) {
                // the first and last granule of this part within [firstGranule, lastGranule]
                long g0 = firstGranule + Math.floorMod(way - firstGranule, ways);
                long g1 = lastGranule - Math.floorMod(lastGranule - way, ways);
                if (g0 > g1) {
                    continue;
                }
                long from = Math.max(offset, g0 * granularity);
                long to = Math.min(last, g1 * granularity + granularity - 1);
                long start = partOffset(from);
                media[way].persist(start, partOffset(to) - start + 1);
            }
        } finally {
            inFlight.exit(cell);
        }
    }

    @Override
    public void drain() {
        int cell = enter();
        try {
            for (Medium m : distinct) {
                m.drain();
            }
        } finally {
            inFlight.exit(cell);
        }
    }

    @Override
    public void sync() {
        int cell = enter();
        try {
            for (Medium m : distinct) {
                m.sync();
            }
        } finally {
            inFlight.exit(cell);
        }
    }

    /**
     * Refuses new accesses, then waits for those in flight to leave the parts. Idempotent; every
     * caller returns only when no access is in flight. An interrupt does not end the wait; it is
     * kept for the caller.
     */
    @Override
    public void close() {
        inFlight.close();
        for (Medium window : windows) {
            window.close(); // every caller returns only once the window is closed
        }
    }

    /** Whether reads, writes and atomic accesses are counted (some part lent no window). */
    boolean countsAccesses() {
        return counted;
    }

    /** Counts an access in, or refuses it with ENXIO once closed; returns the count's cell. */
    private int enter() {
        int cell = inFlight.enter();
        if (cell < 0) {
            throw closedError();
        }
        return cell;
    }

    /**
     * Counts a read, write or atomic access in when the accesses are counted, else returns
     * {@link #NOT_COUNTED}: the window refuses it once closed.
     */
    private int enterAccess() {
        return counted ? enter() : NOT_COUNTED;
    }

    private void exitAccess(int cell) {
        if (cell != NOT_COUNTED) {
            inFlight.exit(cell);
        }
    }

    private void checkOpen() {
        if (inFlight.isClosed()) {
            throw closedError();
        }
    }

    private NvdimmException closedError() {
        return new NvdimmException(Errno.ENXIO, name + ": the medium is closed");
    }

    private void checkRange(long offset, long length) {
        if (offset < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative offset " + offset);
        }
        if (length < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative length " + length);
        }
        if (offset > size - length) {
            throw new NvdimmException(Errno.ENXIO,
                    name + ": offset " + offset + " + " + length + " is beyond the medium's size " + size);
        }
    }

    private void checkAtomic(long offset, int width) {
        if (offset >= 0 && (offset & (width - 1)) != 0) {
            throw new NvdimmException(Errno.EINVAL,
                    name + ": offset " + offset + " is not " + width + "-byte aligned for an atomic access");
        }
        checkRange(offset, width);
    }

    private void checkArray(int arrayLength, int off, int len) {
        if (off < 0 || len < 0 || off > arrayLength - len) {
            throw new NvdimmException(Errno.EINVAL,
                    name + ": buffer range " + off + " + " + len + " is outside an array of " + arrayLength + " bytes");
        }
    }

    private void checkSegment(MemorySegment segment, long from, long len) {
        if (from < 0 || len < 0 || from > segment.byteSize() - len) {
            throw new NvdimmException(Errno.EINVAL, name + ": segment range " + from + " + " + len
                    + " is outside a segment of " + segment.byteSize() + " bytes");
        }
    }
}
