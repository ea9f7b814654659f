package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;

import nvdimm.bus.Medium;

/** A medium that runs a hook before each persist, for latch-driven interleavings; otherwise its delegate. */
final class PausingMedium implements Medium {

    /** Runs before a persist of {@code [offset, offset + length)}. */
    interface Hook {
        void beforePersist(long offset, long length);
    }

    private final Medium delegate;
    volatile Hook hook = (offset, length) -> { };

    PausingMedium(Medium delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public Persistence persistence() {
        return delegate.persistence();
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        delegate.read(offset, dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        delegate.write(offset, src, off, len);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        delegate.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        delegate.write(offset, src);
    }

    @Override
    public int readInt(long offset) {
        return delegate.readInt(offset);
    }

    @Override
    public long readLong(long offset) {
        return delegate.readLong(offset);
    }

    @Override
    public void writeInt(long offset, int value) {
        delegate.writeInt(offset, value);
    }

    @Override
    public void writeLong(long offset, long value) {
        delegate.writeLong(offset, value);
    }

    @Override
    public void persist(long offset, long length) {
        hook.beforePersist(offset, length);
        delegate.persist(offset, length);
    }

    @Override
    public void drain() {
        delegate.drain();
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
