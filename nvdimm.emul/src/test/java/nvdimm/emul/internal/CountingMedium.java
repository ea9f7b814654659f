package nvdimm.emul.internal;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/** A memory medium that records its persist ranges and counts its syncs, drains and closes. */
final class CountingMedium implements Medium {

    private final Medium inner;
    final List<long[]> persists = new CopyOnWriteArrayList<>();
    final AtomicInteger syncs = new AtomicInteger();
    final AtomicInteger drains = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    /** Thrown by the next syncs, when set. */
    volatile RuntimeException syncFailure;
    /** Run at each sync, when set. */
    volatile Runnable onSync;
    /** Run at each bulk write before it reaches the memory, when set. */
    volatile Runnable onWrite;

    CountingMedium(String name, long size) {
        this.inner = Media.memory(name, size);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public Persistence persistence() {
        return inner.persistence();
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        inner.read(offset, dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        Runnable hook = onWrite;
        if (hook != null) {
            hook.run();
        }
        inner.write(offset, src, off, len);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        Runnable hook = onWrite;
        if (hook != null) {
            hook.run();
        }
        inner.write(offset, src);
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long len) {
        inner.read(offset, dst, dstOffset, len);
    }

    @Override
    public void write(long offset, MemorySegment src, long srcOffset, long len) {
        Runnable hook = onWrite;
        if (hook != null) {
            hook.run();
        }
        inner.write(offset, src, srcOffset, len);
    }

    @Override
    public int readInt(long offset) {
        return inner.readInt(offset);
    }

    @Override
    public long readLong(long offset) {
        return inner.readLong(offset);
    }

    @Override
    public void writeInt(long offset, int value) {
        inner.writeInt(offset, value);
    }

    @Override
    public void writeLong(long offset, long value) {
        inner.writeLong(offset, value);
    }

    @Override
    public void persist(long offset, long length) {
        persists.add(new long[] {offset, length});
        inner.persist(offset, length);
    }

    @Override
    public void sync() {
        syncs.incrementAndGet();
        Runnable hook = onSync;
        if (hook != null) {
            hook.run();
        }
        RuntimeException failure = syncFailure;
        if (failure != null) {
            throw failure;
        }
        inner.sync();
    }

    @Override
    public void drain() {
        drains.incrementAndGet();
        inner.drain();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        inner.close();
    }
}
