package nvdimm.bus.internal;

import java.lang.foreign.MemorySegment;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A part of another medium, offset 0 at its start ({@link nvdimm.bus.Media#slice}): every access is checked
 * against the part and forwarded with the offset added, so the part's errors name it; closing it refuses its
 * own later accesses and leaves the medium it lies on open.
 */
public final class SliceMedium implements Medium {
    private final Medium medium;
    private final String name;
    private final long offset;
    private final long size;
    private volatile boolean closed;

    public SliceMedium(Medium medium, String name, long offset, long size) {
        if (offset < 0 || size <= 0 || offset % 8 != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": a slice needs an 8-byte aligned offset >= 0 (so its"
                    + " atomic accesses stay aligned) and a size > 0, not " + offset + " and " + size);
        }
        if (size > medium.size() || offset > medium.size() - size) {
            throw new NvdimmException(Errno.ENXIO, name + ": " + size + " bytes at " + offset + " are beyond "
                    + medium.name() + "'s " + medium.size());
        }
        this.medium = medium;
        this.name = name;
        this.offset = offset;
        this.size = size;
    }

    /** The medium offset of {@code [at, at + length)}, refused when outside the slice or closed. */
    private long at(long at, long length) {
        Bounds.checkRange(name, size, at, length);
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, name + ": the medium is closed");
        }
        return offset + at;
    }

    private long atomic(long at, int width) {
        Bounds.checkAligned(name, at, width);
        return at(at, width);
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
        return medium.persistence();
    }

    @Override
    public void read(long at, byte[] dst, int off, int len) {
        Bounds.checkArray(name, dst.length, off, len);
        medium.read(at(at, len), dst, off, len);
    }

    @Override
    public void write(long at, byte[] src, int off, int len) {
        Bounds.checkArray(name, src.length, off, len);
        medium.write(at(at, len), src, off, len);
    }

    @Override
    public void read(long at, MemorySegment dst) {
        medium.read(at(at, dst.byteSize()), dst);
    }

    @Override
    public void write(long at, MemorySegment src) {
        medium.write(at(at, src.byteSize()), src);
    }

    @Override
    public void read(long at, MemorySegment dst, long dstOffset, long len) {
        Bounds.checkSegment(name, dst, dstOffset, len);
        medium.read(at(at, len), dst, dstOffset, len);
    }

    @Override
    public void write(long at, MemorySegment src, long srcOffset, long len) {
        Bounds.checkSegment(name, src, srcOffset, len);
        medium.write(at(at, len), src, srcOffset, len);
    }

    @Override
    public int readInt(long at) {
        return medium.readInt(atomic(at, 4));
    }

    @Override
    public long readLong(long at) {
        return medium.readLong(atomic(at, 8));
    }

    @Override
    public void writeInt(long at, int value) {
        medium.writeInt(atomic(at, 4), value);
    }

    @Override
    public void writeLong(long at, long value) {
        medium.writeLong(atomic(at, 8), value);
    }

    @Override
    public void persist(long at, long length) {
        medium.persist(at(at, length), length);
    }

    @Override
    public void drain() {
        at(0, 0);
        medium.drain();
    }

    @Override
    public void sync() {
        at(0, 0);
        medium.sync();
    }

    @Override
    public void close() {
        closed = true;
    }
}
