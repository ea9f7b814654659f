package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StripedMediumTest {

    private static final int G = 4096;
    private static final int ROWS = 4;
    private static final nvdimm.lockdep.Lockdep LOCKDEP = Fixtures.lockdep();

    private final List<CountingMedium> dimms = new ArrayList<>();
    private StripedMedium region;

    /** Three DIMMs; the region starts 8 bytes in on each (bases 8, 16, 24) to prove the bases count. */
    @BeforeEach
    void threeWay() {
        List<StripedMedium.Part> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CountingMedium m = new CountingMedium("dimm" + i, 64 + (long) ROWS * G);
            dimms.add(m);
            parts.add(new StripedMedium.Part(m, 8L * (i + 1)));
        }
        region = new StripedMedium("region0", parts, G, 3L * ROWS * G, LOCKDEP);
    }

    @AfterEach
    void close() {
        region.close();
        dimms.forEach(Medium::close);
    }

    private static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] onDimm(int dimm, long offset, int len) {
        byte[] b = new byte[len];
        dimms.get(dimm).read(offset, b);
        return b;
    }

    @Test
    void granulesRotateOverTheDimmsRowByRow() {
        // granule 0 on DIMM 0 row 0, 1 on DIMM 1 row 0, 2 on DIMM 2 row 0, 3 on DIMM 0 row 1, ...
        for (int granule = 0; granule < 3 * ROWS; granule++) {
            region.writeLong((long) granule * G, 0x1000L + granule);
        }
        for (int granule = 0; granule < 3 * ROWS; granule++) {
            int dimm = granule % 3;
            long row = granule / 3;
            assertEquals(0x1000L + granule, dimms.get(dimm).readLong(8L * (dimm + 1) + row * G), "granule " + granule);
        }
    }

    @Test
    void aWriteAcrossGranuleBoundariesLandsOnEachDimm() {
        byte[] data = pattern(G + 10, 1);
        region.write(2L * G - 5, data); // 5 bytes at the end of granule 1, all of granule 2, 5 bytes of granule 3
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 5), onDimm(1, 16 + G - 5, 5));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, 5 + G), onDimm(2, 24, G));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5 + G, G + 10), onDimm(0, 8 + G, 5));
        // nothing outside
        assertArrayEquals(new byte[8], onDimm(0, 0, 8));
        assertArrayEquals(new byte[5], onDimm(0, 8 + G + 5, 5));
        byte[] back = new byte[data.length];
        region.read(2L * G - 5, back);
        assertArrayEquals(data, back);
    }

    @Test
    void everyByteMapsWhereTheFormulaSays() {
        byte[] all = pattern(3 * ROWS * G, 2);
        region.write(0, all, 0, all.length);
        for (int x = 0; x < all.length; x += 509) {
            int dimm = x / G % 3;
            long at = 8L * (dimm + 1) + (long) (x / G / 3) * G + x % G;
            assertEquals(all[x], onDimm(dimm, at, 1)[0], "byte " + x);
        }
        byte[] back = new byte[all.length];
        region.read(0, back, 0, back.length);
        assertArrayEquals(all, back);
    }

    @Test
    void arrayOffsetsAreHonoured() {
        byte[] src = pattern(100, 3);
        region.write(G - 50, src, 10, 80);
        byte[] dst = new byte[100];
        region.read(G - 50, dst, 5, 80);
        assertArrayEquals(java.util.Arrays.copyOfRange(src, 10, 90), java.util.Arrays.copyOfRange(dst, 5, 85));
        assertArrayEquals(new byte[5], java.util.Arrays.copyOfRange(dst, 0, 5));
    }

    @Test
    void segmentsAreSplitAtGranulesToo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(2 * G);
            for (int i = 0; i < 2 * G; i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
            }
            region.write(G / 2, src);
            assertEquals((byte) 0, onDimm(0, 8 + G / 2, 1)[0]);
            assertEquals((byte) ((G / 2) * 7), onDimm(1, 16, 1)[0]);
            assertEquals((byte) ((G / 2 + G) * 7), onDimm(2, 24, 1)[0]);
            MemorySegment dst = arena.allocate(2 * G);
            region.read(G / 2, dst);
            assertEquals(-1L, src.mismatch(dst));
            assertErrno(Errno.EINVAL, () -> region.read(0, dst.asReadOnly()), "read-only segment");
        }
    }

    @Test
    void atomicsAreLittleEndianOnTheRightDimm() {
        region.writeInt(G + 4, 0x11223344);
        assertEquals(0x44, onDimm(1, 16 + 4, 1)[0]);
        assertEquals(0x11223344, region.readInt(G + 4));
        region.writeLong(3L * G + 8, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, dimms.get(0).readLong(8 + G + 8));
        assertEquals(0x0102030405060708L, region.readLong(3L * G + 8));
        region.writeLong(region.size() - 8, -1L);
        assertEquals(-1L, dimms.get(2).readLong(24 + (long) ROWS * G - 8));
    }

    @Test
    void persistCoversEachDimmsShareOfTheRange() {
        region.persist(G + 10, G); // [G+10, 2G) on DIMM 1, [2G, 2G+10) on DIMM 2
        assertEquals(List.of(), ranges(0));
        assertEquals(List.of(List.of(16L + 10, (long) G - 10)), ranges(1));
        assertEquals(List.of(List.of(24L, 10L)), ranges(2));
        dimms.forEach(d -> d.persists.clear());

        region.persist(0, region.size()); // everything: each DIMM's whole share in one call
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(List.of(8L * (i + 1), (long) ROWS * G)), ranges(i), "DIMM " + i);
        }
        dimms.forEach(d -> d.persists.clear());

        region.persist(5L * G - 1, 2); // last byte of granule 4 (DIMM 1, row 1), first of granule 5 (DIMM 2, row 1)
        assertEquals(List.of(), ranges(0));
        assertEquals(List.of(List.of(16L + 2L * G - 1, 1L)), ranges(1));
        assertEquals(List.of(List.of(24L + G, 1L)), ranges(2));
        dimms.forEach(d -> d.persists.clear());

        region.persist(3L * G, 4L * G); // granules 3..6: DIMM 0 rows 1..2, DIMM 1 row 1, DIMM 2 row 1
        assertEquals(List.of(List.of(8L + G, 2L * G)), ranges(0));
        assertEquals(List.of(List.of(16L + G, (long) G)), ranges(1));
        assertEquals(List.of(List.of(24L + G, (long) G)), ranges(2));
        dimms.forEach(d -> d.persists.clear());

        region.persist(100, 0);
        dimms.forEach(d -> assertEquals(0, d.persists.size()));
    }

    private List<List<Long>> ranges(int dimm) {
        return dimms.get(dimm).persists.stream().map(r -> List.of(r[0], r[1])).toList();
    }

    @Test
    void syncReachesEveryDistinctDimmOnce() {
        region.sync();
        dimms.forEach(d -> assertEquals(1, d.syncs.get(), d.name()));
        CountingMedium shared = new CountingMedium("shared", 2L * G);
        StripedMedium twice = new StripedMedium("r", List.of(new StripedMedium.Part(shared, 0),
                new StripedMedium.Part(shared, G)), G, 2L * G, LOCKDEP);
        twice.sync();
        assertEquals(1, shared.syncs.get());
        shared.close();
    }

    @Test
    void refusalsAreTheRegionsOwn() {
        // the view refuses before a DIMM medium would: its name, not a DIMM's, opens every message
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> region.write(0, new byte[4], 2, 3),
                () -> region.read(0, new byte[4], 3, 2),
                () -> region.read(region.size(), new byte[1]),
                () -> region.write(region.size() - 1, new byte[2]),
                () -> region.writeInt(2, 1),
                () -> region.readInt(region.size()),
                () -> region.writeLong(4, 1),
                () -> region.readLong(-8))) {
            NvdimmException e = org.junit.jupiter.api.Assertions.assertThrows(NvdimmException.class, call);
            assertTrue(e.getMessage().startsWith("region0: "), e.getMessage());
        }
        // the DIMMs hold more than their share here, so only the view's own check can refuse these
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(1);
            assertErrno(Errno.ENXIO, () -> region.read(region.size(), one), "region0: offset");
            assertErrno(Errno.ENXIO, () -> region.write(region.size(), one), "region0: offset");
            assertErrno(Errno.ENXIO, () -> region.read(region.size(), new byte[1]), "region0: offset");
        }
    }

    @Test
    void refusesBadArgumentsWithoutTouchingTheDimms() {
        long size = region.size();
        assertErrno(Errno.EINVAL, () -> region.write(-1, new byte[4]), "region0: negative offset -1");
        assertErrno(Errno.EINVAL, () -> region.persist(0, -1), "region0: negative length -1");
        assertErrno(Errno.ENXIO, () -> region.write(size - 3, new byte[4]), "region0: offset", "beyond the medium's size");
        assertErrno(Errno.ENXIO, () -> region.read(size, new byte[1]));
        assertErrno(Errno.ENXIO, () -> region.write(Long.MAX_VALUE, new byte[2]));
        assertErrno(Errno.ENXIO, () -> region.persist(1, Long.MAX_VALUE));
        assertErrno(Errno.ENXIO, () -> region.readLong(size));
        assertErrno(Errno.EINVAL, () -> region.writeLong(4, 1), "region0: offset 4 is not 8-byte aligned");
        assertErrno(Errno.EINVAL, () -> region.writeInt(2, 1), "not 4-byte aligned");
        assertErrno(Errno.EINVAL, () -> region.readInt(1));
        assertErrno(Errno.EINVAL, () -> region.readLong(12));
        assertErrno(Errno.EINVAL, () -> region.readLong(-8), "negative offset");
        assertErrno(Errno.EINVAL, () -> region.write(0, new byte[4], 2, 3), "buffer range 2 + 3");
        assertErrno(Errno.EINVAL, () -> region.read(0, new byte[4], -1, 2), "buffer range");
        assertErrno(Errno.EINVAL, () -> region.read(0, new byte[4], 0, -1), "buffer range");
        assertThrows(NullPointerException.class, () -> region.write(0, (byte[]) null, 0, 0));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new byte[ROWS * G], onDimm(i, 8L * (i + 1), ROWS * G));
        }
        region.write(size, new byte[0]);
        region.read(size, new byte[0]);
    }

    @Test
    void closingTheViewRefusesAccessButLeavesTheDimmsOpen() {
        region.close();
        region.close();
        assertErrno(Errno.ENXIO, () -> region.read(0, new byte[1]), "region0: the medium is closed");
        assertErrno(Errno.ENXIO, () -> region.writeLong(0, 1));
        assertErrno(Errno.ENXIO, () -> region.readInt(0));
        assertErrno(Errno.ENXIO, () -> region.persist(0, 8));
        assertErrno(Errno.ENXIO, region::sync);
        try (Arena arena = Arena.ofConfined()) {
            assertErrno(Errno.ENXIO, () -> region.write(0, arena.allocate(8)));
        }
        assertEquals(3L * ROWS * G, region.size());
        assertEquals("region0", region.name());
        dimms.forEach(d -> assertEquals(0, d.closes.get()));
        dimms.get(0).writeLong(8, 5); // still usable
    }

    @Test
    void aSliceIsAWindowOfOneMedium() {
        CountingMedium file = new CountingMedium("file", 3 * G);
        StripedMedium pmem = StripedMedium.slice("pmem", file, G, G, LOCKDEP);
        pmem.writeLong(0, 42);
        assertEquals(42, file.readLong(G));
        pmem.persist(8, 16);
        assertEquals(List.of(List.of((long) G + 8, 16L)), file.persists.stream().map(r -> List.of(r[0], r[1])).toList());
        assertErrno(Errno.ENXIO, () -> pmem.readLong(G));
        assertEquals(file.persistence(), pmem.persistence());
        file.close();
    }

    @Test
    void refusesPartsThatDoNotMakeAnInterleave() {
        CountingMedium m = new CountingMedium("m", 2L * G);
        assertThrows(IllegalArgumentException.class, () -> new StripedMedium("r", List.of(), G, G, LOCKDEP));
        assertThrows(IllegalArgumentException.class,
                () -> new StripedMedium("r", List.of(new StripedMedium.Part(m, 0)), 0, G, LOCKDEP));
        assertThrows(IllegalArgumentException.class,
                () -> new StripedMedium("r", List.of(new StripedMedium.Part(m, 0)), 12, 24, LOCKDEP));
        assertThrows(IllegalArgumentException.class,
                () -> new StripedMedium("r", List.of(new StripedMedium.Part(m, 0), new StripedMedium.Part(m, 0)), G, 3L * G, LOCKDEP));
        assertThrows(IllegalArgumentException.class,
                () -> new StripedMedium("r", List.of(new StripedMedium.Part(m, 0)), G, 0, LOCKDEP));
        assertThrows(IllegalArgumentException.class, () -> StripedMedium.slice("r", m, G + 8, G, LOCKDEP));
        assertThrows(IllegalArgumentException.class, () -> new StripedMedium.Part(m, 4));
        assertThrows(IllegalArgumentException.class, () -> new StripedMedium.Part(m, -8));
        StripedMedium.slice("fits", m, G, G, LOCKDEP).close();
        m.close();
    }

    @Test
    void drainReachesEveryDistinctDimmOnceAndPersistsNothing() {
        region.drain();
        dimms.forEach(d -> assertEquals(1, d.drains.get(), d.name()));
        dimms.forEach(d -> assertEquals(0, d.syncs.get(), d.name()));
        dimms.forEach(d -> assertEquals(0, d.persists.size(), d.name()));
        region.close();
        assertErrno(Errno.ENXIO, region::drain, "region0: the medium is closed");
    }

    @Test
    void segmentRangesWithAnOffsetCrossGranules() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(3L * G);
            for (int i = 0; i < 3 * G; i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 13 + 1));
            }
            region.write(G - 7, src, 100, 2L * G); // from the end of granule 0 into granule 2
            MemorySegment back = arena.allocate(3L * G);
            region.read(G - 7, back, 5, 2L * G);
            assertEquals(-1, src.asSlice(100, 2L * G).mismatch(back.asSlice(5, 2L * G)));
            assertArrayEquals(src.asSlice(100, 7).toArray(ValueLayout.JAVA_BYTE), onDimm(0, 8 + G - 7, 7));
            assertArrayEquals(src.asSlice(107, G).toArray(ValueLayout.JAVA_BYTE), onDimm(1, 16, G));
            assertErrno(Errno.EINVAL, () -> region.write(0, src, 3L * G - 4, 8), "region0: segment range");
            assertErrno(Errno.EINVAL, () -> region.read(0, back, -1, 8), "region0: segment range");
            assertErrno(Errno.EINVAL, () -> region.read(0, back.asReadOnly(), 0, 8), "read-only");
        }
    }

    /**
     * An access that passed the open check is still writing to a DIMM (held there by a latch) when
     * another thread closes the view: close must not return before that write is done, so nothing
     * reaches a DIMM through the view once close has returned.
     */
    @Test
    void closeWaitsForTheAccessesInFlight() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dimms.get(1).onWrite = () -> {
            inside.countDown();
            awaitQuietly(release);
        };
        Thread writer = Thread.ofPlatform().start(() -> region.write(G, new byte[] {1, 2, 3})); // granule 1: DIMM 1
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        AtomicBoolean writtenWhenClosed = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().start(() -> {
            region.close();
            // what the DIMM holds when close returns (a flag the writer set after its call returned
            // would race with close returning just after the access was counted out)
            writtenWhenClosed.set(Arrays.equals(new byte[] {1, 2, 3}, onDimm(1, 16, 3)));
        });
        // Let the closer either return (the old flag-only close) or block waiting for the writer.
        while (closer.isAlive() && closer.getState() != Thread.State.TIMED_WAITING
                && closer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        boolean closedWhileWriting = !closer.isAlive();
        release.countDown();
        writer.join(10_000);
        closer.join(10_000);
        assertFalse(closedWhileWriting, "close returned while a write was still reaching a DIMM");
        assertTrue(writtenWhenClosed.get(), "close returned before the write in flight was done");
        assertArrayEquals(new byte[] {1, 2, 3}, onDimm(1, 16, 3));
        assertErrno(Errno.ENXIO, () -> region.write(G, new byte[1]), "region0: the medium is closed");
    }

    @Test
    void closeOfAnIdleViewReturnsAtOnceAndRefusesAfterwards() {
        region.close();
        assertErrno(Errno.ENXIO, () -> region.writeLong(0, 1), "region0: the medium is closed");
        region.close(); // idempotent
    }

    /** The data path allocates nothing per I/O: 4 KiB reads and writes, arrays and segments. */
    @Test
    void theIoPathAllocatesNothing() {
        assertTrue(region.countsAccesses());
        assertIoAllocatesNothing(region);
    }

    /** The same through the windows of memory DIMMs (bases 8, 16, 24 as in {@link #threeWay()}). */
    @Test
    void theWindowedIoPathAllocatesNothing() {
        List<Medium> memory = new ArrayList<>();
        List<StripedMedium.Part> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            memory.add(Media.memory("mem" + i, 64 + (long) ROWS * G));
            parts.add(new StripedMedium.Part(memory.get(i), 8L * (i + 1)));
        }
        StripedMedium windowed = new StripedMedium("windowed", parts, G, 3L * ROWS * G, LOCKDEP);
        assertFalse(windowed.countsAccesses());
        assertIoAllocatesNothing(windowed);
        windowed.close();
        memory.forEach(Medium::close);
    }

    private static void assertIoAllocatesNothing(StripedMedium region) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] buffer = new byte[G];
        MemorySegment segment = MemorySegment.ofArray(new byte[2 * G]);
        Runnable io = () -> {
            region.write(G, buffer, 0, G); // one granule
            region.read(G, buffer, 0, G);
            region.write(2L * G - 100, buffer, 0, G); // across two granules
            region.read(2L * G - 100, buffer, 0, G);
            region.write(G - 8, segment, 8, G);
            region.read(G - 8, segment, 8, G);
            region.writeLong(16, 1);
            region.readLong(16);
        };
        for (int i = 0; i < 20_000; i++) {
            io.run(); // warm up, so the measurement sees the compiled path
        }
        int rounds = 10_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            io.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < rounds, allocated + " bytes allocated by " + rounds + " rounds of I/O");
    }

    /**
     * Over memory DIMMs the view lends their memory through windows named as the view, and its close
     * closes them: its accesses then fail with ENXIO in its name while the DIMMs stay open.
     */
    @Test
    void overMemoryTheViewGoesThroughWindowsThatItsCloseCloses() {
        Medium d0 = Media.memory("m0", 3L * G);
        Medium d1 = Media.memory("m1", 3L * G);
        StripedMedium stripe = new StripedMedium("stripe", List.of(new StripedMedium.Part(d0, 0),
                new StripedMedium.Part(d1, G)), G, 4L * G, LOCKDEP);
        assertFalse(stripe.countsAccesses());
        stripe.writeLong(G + 8, 11); // granule 1: DIMM 1, row 0, at its base G
        assertEquals(11, d1.readLong(G + 8));
        byte[] bytes = pattern(2 * G, 4);
        stripe.write(G - 4, bytes); // across granules 0, 1 and 2
        byte[] back = new byte[2 * G];
        stripe.read(G - 4, back);
        assertArrayEquals(bytes, back);
        assertArrayEquals(Arrays.copyOfRange(bytes, 4, 4 + G), onMedium(d1, G, G));
        stripe.persist(0, 4L * G);
        stripe.sync();
        stripe.close();
        assertErrno(Errno.ENXIO, () -> stripe.read(0, new byte[8]), "stripe: the medium is closed");
        assertErrno(Errno.ENXIO, () -> stripe.writeLong(G, 1), "stripe: the medium is closed");
        assertErrno(Errno.ENXIO, () -> stripe.persist(0, 8), "stripe: the medium is closed");
        d0.writeLong(0, 1); // still open
        assertArrayEquals(Arrays.copyOfRange(bytes, 4, 4 + G), onMedium(d1, G, G));
        d0.close();
        d1.close();
    }

    /** A DIMM closed under an open view (the bus closes views first) closes the view's window on it. */
    @Test
    void aDimmClosedUnderAnOpenViewRefusesTheViewsAccesses() {
        Medium dimm = Media.memory("m0", 2L * G);
        StripedMedium slice = StripedMedium.slice("pmem", dimm, G, G, LOCKDEP);
        slice.writeLong(0, 3);
        dimm.close();
        assertErrno(Errno.ENXIO, () -> slice.readLong(0), "pmem: the medium is closed");
        slice.close();
    }

    /**
     * A 64 MiB write through a slice of a memory DIMM is copying when another thread closes the
     * slice: when close returns the DIMM must hold the whole write (the JDK stopped the writer only
     * after the copy, when the window's arena closed). The window's own test has the negative control.
     */
    @Test
    void closingAWindowedViewWaitsForACopyInFlight() throws Exception {
        long big = 64L << 20;
        Medium dimm = Media.memory("big", big);
        StripedMedium slice = StripedMedium.slice("pmem", dimm, 0, big, LOCKDEP);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ones = arena.allocate(big, 4096).fill((byte) 1);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    slice.write(0, ones);
                } catch (NvdimmException e) {
                    if (e.errno() != Errno.ENXIO) {
                        throw e;
                    }
                }
            });
            while (dimm.readLong(0) == 0 && dimm.readLong(big - 8) == 0 && writer.isAlive()) {
                Thread.onSpinWait(); // until the copy has begun, at either end
            }
            slice.close();
            MemorySegment held = arena.allocate(big, 4096);
            dimm.read(0, held);
            writer.join(30_000);
            assertFalse(writer.isAlive());
            assertEquals(-1, held.mismatch(ones), "close returned before the copy in flight was done");
        } finally {
            dimm.close();
        }
    }

    private static byte[] onMedium(Medium medium, long offset, int len) {
        byte[] b = new byte[len];
        medium.read(offset, b);
        return b;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Powers of two take the shifting walk, other shapes the dividing one: both map alike. */
    @ParameterizedTest
    @CsvSource({"2, 4096", "4, 256", "2, 24", "3, 64", "1, 4096"})
    void everyShapeMapsWhereTheFormulaSays(int ways, int granularity) {
        int rows = 5;
        List<StripedMedium.Part> parts = new ArrayList<>();
        List<CountingMedium> media = new ArrayList<>();
        for (int i = 0; i < ways; i++) {
            CountingMedium m = new CountingMedium("d" + i, 8 + (long) rows * granularity);
            media.add(m);
            parts.add(new StripedMedium.Part(m, 8));
        }
        long size = (long) ways * rows * granularity;
        StripedMedium shaped = new StripedMedium("shaped", parts, granularity, size, LOCKDEP);
        byte[] all = pattern((int) size, 9);
        shaped.write(3, all, 3, all.length - 3);
        for (int x = 3; x < size; x += 7) {
            int dimm = x / granularity % ways;
            long at = 8 + (long) (x / granularity / ways) * granularity + x % granularity;
            byte[] one = new byte[1];
            media.get(dimm).read(at, one);
            assertEquals(all[x], one[0], "byte " + x);
        }
        byte[] back = new byte[(int) size - 5];
        shaped.read(5, back);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 5, all.length), back);
        shaped.writeLong(size - 8, 77);
        assertEquals(77, shaped.readLong(size - 8));
        shaped.persist(0, size);
        media.forEach(m -> assertEquals(1, m.persists.size(), m.name()));
        shaped.close();
        media.forEach(Medium::close);
    }
}
