package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongConsumer;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A medium for latch-driven interleavings and failures: hooks run before each persist and bulk read and
 * after each 4-byte read, and reads or persists of chosen ranges fail with a chosen errno; otherwise its
 * delegate.
 */
final class HookedMedium implements Medium {

    /** Runs at an access of {@code [offset, offset + length)}. */
    interface Hook {
        void at(long offset, long length);
    }

    private final Medium delegate;
    /** Before each persist. */
    volatile Hook hook = (offset, length) -> { };
    /** Before each bulk read. */
    volatile Hook beforeRead = (offset, length) -> { };
    /** After each {@link #readInt}, with its offset. */
    volatile LongConsumer afterReadInt = offset -> { };
    /** Ranges whose reads fail: start to end. */
    private final ConcurrentSkipListMap<Long, Long> failingReads = new ConcurrentSkipListMap<>();
    /** Ranges whose persists fail: start to end. */
    private final ConcurrentSkipListMap<Long, Long> failingPersists = new ConcurrentSkipListMap<>();
    volatile Errno errno = Errno.EIO;

    HookedMedium(Medium delegate) {
        this.delegate = delegate;
    }

    /** Reads overlapping {@code [offset, offset + length)} fail with {@link #errno}. */
    void failReads(long offset, long length) {
        failingReads.put(offset, offset + length);
    }

    /** Persists overlapping {@code [offset, offset + length)} fail with {@link #errno}. */
    void failPersists(long offset, long length) {
        failingPersists.put(offset, offset + length);
    }

    /** Reads and persists work again. */
    void heal() {
        failingReads.clear();
        failingPersists.clear();
    }

    private void check(ConcurrentSkipListMap<Long, Long> ranges, String what, long offset, long length) {
        var below = ranges.lowerEntry(offset + length);
        if (below != null && below.getValue() > offset) {
            throw new NvdimmException(errno, name() + ": " + what + " of " + length + " bytes at " + offset
                    + " failed (injected)");
        }
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
        beforeRead.at(offset, len);
        check(failingReads, "read", offset, len);
        delegate.read(offset, dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        delegate.write(offset, src, off, len);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        beforeRead.at(offset, dst.byteSize());
        check(failingReads, "read", offset, dst.byteSize());
        delegate.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        delegate.write(offset, src);
    }

    @Override
    public int readInt(long offset) {
        check(failingReads, "read", offset, Integer.BYTES);
        int value = delegate.readInt(offset);
        afterReadInt.accept(offset);
        return value;
    }

    @Override
    public long readLong(long offset) {
        check(failingReads, "read", offset, Long.BYTES);
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
        hook.at(offset, length);
        check(failingPersists, "persist", offset, length);
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
