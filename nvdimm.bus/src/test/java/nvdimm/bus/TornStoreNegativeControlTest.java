package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

/**
 * Negative control for {@link MediumContract#atomicStoresAreNeverSeenTorn()}: the torn-read
 * detector must notice a medium whose "atomic" stores are written a byte at a time.
 */
class TornStoreNegativeControlTest {

    /** A memory medium whose atomic stores are eight (or four) separate byte stores. */
    private static final class BytewiseStores implements Medium {
        private final Medium inner = Media.memory("bytewise", MediumContract.SIZE);

        @Override public String name() { return inner.name(); }
        @Override public long size() { return inner.size(); }
        @Override public Persistence persistence() { return inner.persistence(); }
        @Override public void read(long offset, byte[] dst, int off, int len) { inner.read(offset, dst, off, len); }
        @Override public void write(long offset, byte[] src, int off, int len) { inner.write(offset, src, off, len); }
        @Override public void read(long offset, MemorySegment dst) { inner.read(offset, dst); }
        @Override public void write(long offset, MemorySegment src) { inner.write(offset, src); }
        @Override public int readInt(long offset) { return inner.readInt(offset); }
        @Override public long readLong(long offset) { return inner.readLong(offset); }
        @Override public void persist(long offset, long length) { inner.persist(offset, length); }
        @Override public void sync() { inner.sync(); }
        @Override public void drain() { inner.drain(); }
        @Override public void close() { inner.close(); }

        @Override
        public void writeInt(long offset, int value) {
            for (int i = 0; i < Integer.BYTES; i++) {
                inner.write(offset + i, new byte[] {(byte) (value >>> (8 * i))});
            }
        }

        @Override
        public void writeLong(long offset, long value) {
            for (int i = 0; i < Long.BYTES; i++) {
                inner.write(offset + i, new byte[] {(byte) (value >>> (8 * i))});
            }
        }
    }

    @Test
    void theDetectorSeesBytewiseStoresTorn() throws Exception {
        try (Medium medium = new BytewiseStores()) {
            long torn = 0;
            for (int attempt = 0; attempt < 20 && torn == 0; attempt++) {
                torn = MediumContract.tornReads(medium, 200_000);
            }
            assertTrue(torn > 0, "the torn-read detector saw no torn value from byte-wise stores");
        }
    }
}
