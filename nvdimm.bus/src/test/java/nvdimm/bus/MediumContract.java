package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What every {@link Medium} must do, run against each implementation by a subclass: refusals that
 * change nothing, little-endian layout, the atomic accessors across threads, and closing.
 */
public abstract class MediumContract {

    protected static final long SIZE = 64 * 1024;

    protected Medium medium;

    /** A fresh, zero-filled medium of {@code size} bytes. */
    protected abstract Medium open(long size) throws Exception;

    @BeforeEach
    void openMedium() throws Exception {
        medium = open(SIZE);
    }

    @AfterEach
    void closeMedium() {
        medium.close();
    }

    @Test
    void reportsItsSize() {
        assertEquals(SIZE, medium.size());
    }

    @Test
    void startsZeroed() {
        byte[] all = new byte[(int) SIZE];
        medium.read(0, all);
        assertArrayEquals(new byte[(int) SIZE], all);
    }

    @Test
    void writesAndReadsBackBytes() {
        byte[] data = pattern(1000, 7);
        medium.write(SIZE - 1000, data);
        byte[] back = new byte[1000];
        medium.read(SIZE - 1000, back);
        assertArrayEquals(data, back);
    }

    @Test
    void arrayRangesAreHonoured() {
        byte[] src = pattern(10, 1);
        medium.write(100, src, 3, 4);
        byte[] dst = new byte[10];
        medium.read(99, dst, 2, 6);
        assertArrayEquals(new byte[] {0, 0, 0, src[3], src[4], src[5], src[6], 0, 0, 0}, dst);
    }

    @Test
    void segmentsCopyWithoutArrays() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(300);
            for (int i = 0; i < 300; i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 3));
            }
            medium.write(4000, src);
            MemorySegment dst = arena.allocate(300);
            medium.read(4000, dst);
            assertEquals(-1, src.mismatch(dst));
            byte[] viaArray = new byte[300];
            medium.read(4000, viaArray);
            assertArrayEquals(src.toArray(ValueLayout.JAVA_BYTE), viaArray);
        }
    }

    @Test
    void readingIntoAReadOnlySegmentIsRefused() {
        MemorySegment readOnly = MemorySegment.ofArray(new byte[8]).asReadOnly();
        assertErrno(Errno.EINVAL, () -> medium.read(0, readOnly));
    }

    @Test
    void aClosedCallerSegmentIsTheCallersProblemNotEnxio() {
        MemorySegment gone;
        try (Arena arena = Arena.ofConfined()) {
            gone = arena.allocate(8);
        }
        assertThrows(IllegalStateException.class, () -> medium.read(0, gone));
        assertThrows(IllegalStateException.class, () -> medium.write(0, gone));
        medium.writeLong(0, 3L); // the medium itself is fine
        assertEquals(3L, medium.readLong(0));
    }

    @Test
    void atomicValuesAreLittleEndian() {
        medium.writeLong(8, 0x0102030405060708L);
        medium.writeInt(20, 0x0a0b0c0d);
        byte[] bytes = new byte[16];
        medium.read(8, bytes);
        assertEquals("0807060504030201" + "000000000d0c0b0a", HexFormat.of().formatHex(bytes));
        assertEquals(0x0102030405060708L, medium.readLong(8));
        assertEquals(0x0a0b0c0d, medium.readInt(20));
        assertEquals(0x05060708, medium.readInt(8));
        assertEquals(0x0a0b0c0d00000000L, medium.readLong(16));
    }

    @Test
    void atomicAccessReachesTheLastWord() {
        medium.writeLong(SIZE - 8, -2L);
        medium.writeInt(SIZE - 12, 77);
        assertEquals(-2L, medium.readLong(SIZE - 8));
        assertEquals(77, medium.readInt(SIZE - 12));
    }

    @Test
    void refusesMisalignedAtomicAccess() {
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.writeLong(4, 1L), "is not 8-byte aligned");
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.writeInt(2, 1), "is not 4-byte aligned");
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.writeLong(1, 1L), "offset 1 is not 8-byte aligned");
        assertErrno(Errno.EINVAL, () -> medium.readLong(12));
        assertErrno(Errno.EINVAL, () -> medium.readInt(6));
        assertErrno(Errno.EINVAL, () -> medium.readInt(1));
    }

    @Test
    void refusesNegativeOffsetsAndLengths() {
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.write(-1, new byte[4]), "negative offset -1");
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.writeLong(-8, 1L), "negative offset -8");
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.writeInt(-4, 1), "negative offset -4");
        assertErrno(Errno.EINVAL, () -> medium.read(-1, new byte[4]));
        assertErrno(Errno.EINVAL, () -> medium.readLong(-8));
        assertErrno(Errno.EINVAL, () -> medium.persist(-1, 1));
        assertErrno(Errno.EINVAL, () -> medium.persist(0, -1));
    }

    @Test
    void refusesRangesBeyondTheEnd() {
        assertRefusedWithoutChange(Errno.ENXIO, () -> medium.write(SIZE - 3, new byte[4]),
                "offset " + (SIZE - 3) + " + 4 is beyond the medium's size " + SIZE);
        assertRefusedWithoutChange(Errno.ENXIO, () -> medium.writeLong(SIZE, 1L), "beyond the medium's size");
        assertRefusedWithoutChange(Errno.ENXIO, () -> medium.writeInt(SIZE, 1), "beyond the medium's size");
        assertRefusedWithoutChange(Errno.ENXIO, () -> medium.write(Long.MAX_VALUE, new byte[2]), "beyond");
        assertErrno(Errno.ENXIO, () -> medium.read(SIZE, new byte[1]));
        assertErrno(Errno.ENXIO, () -> medium.readLong(SIZE));
        assertErrno(Errno.ENXIO, () -> medium.readInt(SIZE));
        assertErrno(Errno.ENXIO, () -> medium.persist(SIZE - 8, 9));
        assertErrno(Errno.ENXIO, () -> medium.persist(1, Long.MAX_VALUE));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nine = arena.allocate(9);
            assertRefusedWithoutChange(Errno.ENXIO, () -> medium.write(SIZE - 8, nine), "beyond");
            assertErrno(Errno.ENXIO, () -> medium.read(SIZE - 8, nine));
        }
    }

    @Test
    void refusesArrayRangesOutsideTheArray() {
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.write(0, new byte[4], 2, 3),
                "buffer range 2 + 3 is outside an array of 4 bytes");
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.write(0, new byte[4], -1, 2), "buffer range");
        assertRefusedWithoutChange(Errno.EINVAL, () -> medium.write(0, new byte[4], 0, -1), "buffer range");
        assertErrno(Errno.EINVAL, () -> medium.read(0, new byte[4], 4, 1));
        assertErrno(Errno.EINVAL, () -> medium.read(0, new byte[4], 1, Integer.MAX_VALUE));
    }

    @Test
    void emptyAccessesAtTheEndAreAllowed() {
        medium.write(SIZE, new byte[0]);
        medium.read(SIZE, new byte[0]);
        medium.persist(SIZE, 0);
        medium.persist(0, SIZE);
    }

    @Test
    void persistAndSyncKeepTheData() {
        medium.write(512, pattern(64, 3));
        medium.persist(512, 64);
        medium.writeLong(4096, 99L);
        medium.sync();
        medium.writeLong(4104, 98L);
        medium.persist(4104, 8);
        medium.drain();
        byte[] back = new byte[64];
        medium.read(512, back);
        assertArrayEquals(pattern(64, 3), back);
        assertEquals(99L, medium.readLong(4096));
        assertEquals(98L, medium.readLong(4104));
    }

    @Test
    void everyAccessAfterCloseFailsWithEnxio() {
        medium.close();
        medium.close(); // idempotent
        List<Executable> accesses = List.of(
                () -> medium.read(0, new byte[1]),
                () -> medium.write(0, new byte[1]),
                () -> medium.readInt(0),
                () -> medium.readLong(0),
                () -> medium.writeInt(0, 1),
                () -> medium.writeLong(0, 1L),
                () -> medium.persist(0, 8),
                () -> medium.sync(),
                () -> medium.drain(),
                () -> medium.read(0, MemorySegment.ofArray(new byte[1])),
                () -> medium.write(0, MemorySegment.ofArray(new byte[1])));
        for (Executable access : accesses) {
            NvdimmException e = assertThrows(NvdimmException.class, access);
            assertEquals(Errno.ENXIO, e.errno());
            assertEquals(medium.name() + ": the medium is closed (ENXIO)", e.getMessage());
        }
        assertEquals(SIZE, medium.size());
    }

    @Test
    void atomicStoresPublishBulkWritesToOtherThreads() throws Exception {
        // Ping-pong: the writer fills a block and publishes the round with a release store; the
        // reader acquires the round, must find the whole block of that round, and acknowledges.
        int rounds = 500;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                byte[] block = new byte[256];
                for (long round = 1; round <= rounds; round++) {
                    while (medium.readLong(0) != round) {
                        Thread.yield(); // other builds share these two cores
                    }
                    medium.read(64, block);
                    for (byte b : block) {
                        if (b != (byte) round) {
                            throw new AssertionError("round " + round + " published before its block: " + b);
                        }
                    }
                    medium.writeLong(8, round);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        byte[] block = new byte[256];
        for (long round = 1; round <= rounds && failure.get() == null; round++) {
            java.util.Arrays.fill(block, (byte) round);
            medium.write(64, block);
            medium.writeLong(0, round);
            while (medium.readLong(8) != round && reader.isAlive()) {
                Thread.yield(); // other builds share these two cores
            }
        }
        reader.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(rounds, medium.readLong(8));
    }

    @Test
    void atomicStoresAreNeverSeenTorn() throws Exception {
        assertEquals(0, tornReads(medium, 200_000), "torn 8-byte reads");
    }

    /**
     * Alternates a word between all-zeros and all-ones from one thread while another reads it,
     * and counts the values that are neither: reads that saw half a store.
     */
    protected static long tornReads(Medium medium, int stores) throws InterruptedException {
        long[] torn = new long[1];
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = Thread.ofPlatform().start(() -> {
            started.countDown();
            for (int i = 0; i < stores; i++) {
                medium.writeLong(256, (i & 1) == 0 ? -1L : 0L);
                medium.writeInt(512, (i & 1) == 0 ? -1 : 0);
            }
        });
        started.await();
        while (writer.isAlive()) {
            long value = medium.readLong(256);
            int half = medium.readInt(512);
            if ((value != 0 && value != -1L) || (half != 0 && half != -1)) {
                torn[0]++;
            }
        }
        writer.join();
        return torn[0];
    }

    @Test
    void closingDuringConcurrentAccessFailsTheAccessesWithEnxio() throws Exception {
        int threads = 4;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> endings = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch running = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int kind = t;
            workers.add(Thread.ofPlatform().start(() -> {
                running.countDown();
                endings.add(hammer(medium, kind));
            }));
        }
        running.await();
        Thread.sleep(50);
        medium.close();
        for (Thread worker : workers) {
            worker.join(10_000);
            assertTrue(!worker.isAlive(), "a worker kept running after close");
        }
        assertEquals(threads, endings.size());
        for (Throwable ending : endings) {
            if (!(ending instanceof NvdimmException e) || e.errno() != Errno.ENXIO) {
                throw new AssertionError("an access ended with " + ending + " instead of ENXIO", ending);
            }
        }
    }

    /** Accesses the medium in a loop until an access fails, and returns that failure. */
    private static Throwable hammer(Medium medium, int kind) {
        byte[] buffer = new byte[4096];
        MemorySegment segment = MemorySegment.ofArray(new byte[4096]);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            while (true) {
                long at = random.nextLong(medium.size() / 4096) * 4096;
                switch (kind) {
                    case 0 -> medium.write(at, buffer);
                    case 1 -> medium.read(at, segment);
                    case 2 -> {
                        medium.writeLong(at, medium.readLong(at) + 1);
                        medium.writeInt(at + 8, medium.readInt(at + 8) + 1);
                    }
                    default -> {
                        medium.write(at, segment);
                        medium.persist(at, 4096);
                        if (random.nextInt(64) == 0) {
                            medium.sync();
                        }
                    }
                }
            }
        } catch (Throwable t) {
            return t;
        }
    }

    protected static void assertErrno(Errno errno, Executable call) {
        NvdimmException e = assertThrows(NvdimmException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
    }

    /** The call fails with {@code errno}, names the medium and the problem, and the medium is unchanged. */
    protected void assertRefusedWithoutChange(Errno errno, Executable call, String problem) {
        byte[] before = new byte[(int) SIZE];
        medium.read(0, before);
        Object traceBefore = trace(medium);
        NvdimmException e = assertThrows(NvdimmException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith(medium.name() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().endsWith("(" + errno.name() + ")"), e.getMessage());
        byte[] after = new byte[(int) SIZE];
        medium.read(0, after);
        assertArrayEquals(before, after, "a refused call changed the medium");
        assertEquals(traceBefore, trace(medium), "a refused call left a trace");
    }

    /** What else a refused call must leave unchanged, beyond the content; nothing by default. */
    protected Object trace(Medium m) {
        return null;
    }

    protected static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }
}
