package nvdimm.btt.internal.compat;

import java.lang.foreign.MemorySegment;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A namespace's bytes inside an image file's medium: offset 0 is {@code base} of the image (a labeled
 * namespace at its label's DPA), {@code size} bytes long. Closing it leaves the image open.
 */
final class SliceMedium implements Medium {
    private final Medium image;
    private final long base;
    private final long size;
    private final String name;

    SliceMedium(Medium image, long base, long size) {
        if (base < 0 || size < 0 || base + size > image.size()) {
            throw new IllegalArgumentException(image.name() + ": slice " + base + "+" + size + " is outside");
        }
        this.image = image;
        this.base = base;
        this.size = size;
        this.name = image.name() + "@" + base;
    }

    private long at(long offset, long len) {
        if (offset < 0 || len < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative offset " + offset + " or length " + len);
        }
        if (offset > size - len) {
            throw new NvdimmException(Errno.ENXIO, name + ": " + offset + "+" + len + " is past its " + size
                    + " bytes");
        }
        return base + offset;
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
        return image.persistence();
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        image.read(at(offset, len), dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        image.write(at(offset, len), src, off, len);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        image.read(at(offset, dst.byteSize()), dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        image.write(at(offset, src.byteSize()), src);
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long len) {
        image.read(at(offset, len), dst, dstOffset, len);
    }

    @Override
    public void write(long offset, MemorySegment src, long srcOffset, long len) {
        image.write(at(offset, len), src, srcOffset, len);
    }

    @Override
    public int readInt(long offset) {
        return image.readInt(at(offset, 4));
    }

    @Override
    public long readLong(long offset) {
        return image.readLong(at(offset, 8));
    }

    @Override
    public void writeInt(long offset, int value) {
        image.writeInt(at(offset, 4), value);
    }

    @Override
    public void writeLong(long offset, long value) {
        image.writeLong(at(offset, 8), value);
    }

    @Override
    public void persist(long offset, long length) {
        image.persist(at(offset, length), length);
    }

    @Override
    public void drain() {
        image.drain();
    }

    @Override
    public void sync() {
        image.sync();
    }

    @Override
    public void close() {
        // the image is its owner's
    }
}
