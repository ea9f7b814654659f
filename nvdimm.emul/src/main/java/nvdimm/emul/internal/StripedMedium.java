package nvdimm.emul.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A region's memory over its DIMMs' media: byte {@code x} of the region is in granule
 * {@code g = x / granularity}, which lies on part {@code g % ways} at
 * {@code base + (g / ways) * granularity + x % granularity}. One part with a granularity of the
 * whole size is a plain slice of a medium (a DIMM's persistent memory without its label area).
 *
 * <p>Atomic accesses go to one part: the granularity and the bases are multiples of 8, so an
 * aligned 4- or 8-byte access never straddles a granule. Bulk accesses are split at granule
 * boundaries. {@link #persist} persists, on each part, the span of that part the range covers;
 * {@link #sync} syncs each distinct part medium. Closing the view does not close the parts, which
 * belong to the bus; it only makes the view refuse further accesses with ENXIO.
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
    private final long granularity;
    private final long size;
    private final Persistence persistence;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param name the name errors use
     * @param parts the DIMMs in interleave position order; each must hold
     *     {@code base + size / parts.size()} bytes
     * @param granularity bytes per granule, a multiple of 8 dividing {@code size / parts.size()}
     * @param size the region's size, a multiple of {@code parts.size() * granularity}
     */
    StripedMedium(String name, List<Part> parts, long granularity, long size) {
        this.name = Objects.requireNonNull(name, "name");
        this.parts = List.copyOf(parts);
        this.granularity = granularity;
        this.size = size;
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
    }

    /** A view of {@code [base, base + size)} of one medium. */
    static StripedMedium slice(String name, Medium medium, long base, long size) {
        return new StripedMedium(name, List.of(new Part(medium, base)), size, size);
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

    private int partIndex(long offset) {
        return (int) ((offset / granularity) % parts.size());
    }

    private long partOffset(long offset) {
        return parts.get(partIndex(offset)).base() + offset / granularity / parts.size() * granularity
                + offset % granularity;
    }

    /** Bytes from {@code offset} to the end of its granule. */
    private long runAt(long offset) {
        return granularity - offset % granularity;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        Objects.requireNonNull(dst, "dst");
        checkArray(dst.length, off, len);
        read(offset, MemorySegment.ofArray(dst).asSlice(off, len)); // one granule walk serves both forms
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        Objects.requireNonNull(src, "src");
        checkArray(src.length, off, len);
        write(offset, MemorySegment.ofArray(src).asSlice(off, len));
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new NvdimmException(Errno.EINVAL, name + ": cannot read into a read-only segment");
        }
        long len = dst.byteSize();
        checkRange(offset, len);
        long done = 0;
        while (done < len) {
            long at = offset + done;
            long n = Math.min(len - done, runAt(at));
            parts.get(partIndex(at)).medium().read(partOffset(at), dst.asSlice(done, n));
            done += n;
        }
    }

    @Override
    public void write(long offset, MemorySegment src) {
        Objects.requireNonNull(src, "src");
        long len = src.byteSize();
        checkRange(offset, len);
        long done = 0;
        while (done < len) {
            long at = offset + done;
            long n = Math.min(len - done, runAt(at));
            parts.get(partIndex(at)).medium().write(partOffset(at), src.asSlice(done, n));
            done += n;
        }
    }

    @Override
    public int readInt(long offset) {
        checkAtomic(offset, Integer.BYTES);
        return parts.get(partIndex(offset)).medium().readInt(partOffset(offset));
    }

    @Override
    public long readLong(long offset) {
        checkAtomic(offset, Long.BYTES);
        return parts.get(partIndex(offset)).medium().readLong(partOffset(offset));
    }

    @Override
    public void writeInt(long offset, int value) {
        checkAtomic(offset, Integer.BYTES);
        parts.get(partIndex(offset)).medium().writeInt(partOffset(offset), value);
    }

    @Override
    public void writeLong(long offset, long value) {
        checkAtomic(offset, Long.BYTES);
        parts.get(partIndex(offset)).medium().writeLong(partOffset(offset), value);
    }

    /**
     * Persists, on every part the range touches, the part's span from the first to the last byte
     * of the range it holds. That may persist more than the range, which a barrier allows.
     */
    @Override
    public void persist(long offset, long length) {
        checkRange(offset, length);
        if (length == 0) {
            return;
        }
        long last = offset + length - 1;
        long firstGranule = offset / granularity;
        long lastGranule = last / granularity;
        int ways = parts.size();
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
            parts.get(way).medium().persist(start, partOffset(to) - start + 1);
        }
    }

    @Override
    public void sync() {
        checkOpen();
        for (Medium m : distinctMedia()) {
            m.sync();
        }
    }

    private List<Medium> distinctMedia() {
        Set<Medium> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Medium> out = new ArrayList<>();
        for (Part p : parts) {
            if (seen.add(p.medium())) {
                out.add(p.medium());
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new NvdimmException(Errno.ENXIO, name + ": the medium is closed");
        }
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
        checkOpen();
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
}
