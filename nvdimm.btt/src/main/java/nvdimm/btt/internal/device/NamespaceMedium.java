package nvdimm.btt.internal.device;

import java.lang.foreign.MemorySegment;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespace;

/**
 * A namespace's bytes as a {@link Medium}, for the BTT engine and the format layer (Linux's
 * {@code arena_read_bytes}/{@code arena_write_bytes} over {@code nsio_rw_bytes}). Offset 0 is the namespace's
 * start. Reads go through the namespace, so a bad block gives EIO without touching the media. Writes are persisted
 * before they return, so {@link #persist} has nothing left to do but check its range. The engine's writes (the
 * segment forms and the atomic stores: data, log, map) are {@code NVDIMM_IO_ATOMIC}: nothing is cleared, the BTT
 * clears bad blocks itself through {@link NamespaceMediaErrors}. The byte-array writes are the format layer's
 * (initialising the map, log and info blocks, clearing a free block at load), which Linux makes without
 * {@code NVDIMM_IO_ATOMIC} ({@code arena_write_bytes} with flags 0), so a 512-byte aligned one clears the bad
 * blocks under it through the provider first (a bus command: never under a device lock); {@link #drain()} and {@link #sync()} are the namespace's flush. Closing it refuses every
 * later access with ENXIO; the namespace stays its owner's.
 */
final class NamespaceMedium implements Medium {
    private final Namespace ns;
    private final Persistence persistence;
    private volatile boolean closed;

    NamespaceMedium(Namespace ns) {
        this.ns = ns;
        this.persistence = ns.region().medium().persistence();
    }

    @Override
    public String name() {
        return ns.name();
    }

    @Override
    public long size() {
        return ns.size();
    }

    @Override
    public Persistence persistence() {
        return persistence;
    }

    private void open() {
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, ns.name() + ": the BTT's view of the namespace is closed");
        }
    }

    private static void arrayRange(String name, int arrayLength, int off, int len) {
        if (off < 0 || len < 0 || off > arrayLength - len) {
            throw new NvdimmException(Errno.EINVAL, name + ": array range " + off + " + " + len
                    + " is outside an array of " + arrayLength + " bytes");
        }
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        open();
        arrayRange(ns.name(), dst.length, off, len);
        ns.read(offset, MemorySegment.ofArray(dst), off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        open();
        arrayRange(ns.name(), src.length, off, len);
        ns.write(offset, MemorySegment.ofArray(src), off, len, false);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        open();
        ns.read(offset, dst, 0, dst.byteSize());
    }

    @Override
    public void write(long offset, MemorySegment src) {
        open();
        ns.write(offset, src, 0, src.byteSize(), true);
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long len) {
        open();
        ns.read(offset, dst, dstOffset, len);
    }

    @Override
    public void write(long offset, MemorySegment src, long srcOffset, long len) {
        open();
        ns.write(offset, src, srcOffset, len, true);
    }

    @Override
    public int readInt(long offset) {
        open();
        return ns.readInt(offset);
    }

    @Override
    public long readLong(long offset) {
        open();
        return ns.readLong(offset);
    }

    @Override
    public void writeInt(long offset, int value) {
        open();
        ns.writeInt(offset, value);
    }

    @Override
    public void writeLong(long offset, long value) {
        open();
        ns.writeLong(offset, value);
    }

    /** Every write was persisted before it returned: only the range is checked. */
    @Override
    public void persist(long offset, long length) {
        open();
        if (offset < 0 || length < 0) {
            throw new NvdimmException(Errno.EINVAL, ns.name() + ": persist of " + length + " bytes at " + offset);
        }
        if (length > ns.size() || offset > ns.size() - length) {
            throw new NvdimmException(Errno.ENXIO, ns.name() + ": persist of " + length + " bytes at " + offset
                    + " is beyond the namespace's " + ns.size() + " bytes");
        }
    }

    @Override
    public void drain() {
        open();
        ns.flush();
    }

    @Override
    public void sync() {
        open();
        ns.flush();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "NamespaceMedium[" + ns.name() + (closed ? ", closed" : "") + "]";
    }
}
