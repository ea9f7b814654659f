package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A window passes the whole medium contract, and closes on its own without closing its lender. */
class SegmentWindowTest extends MediumContract {

    private static final long BASE = 8192;

    private Medium lender;

    @Override
    protected Medium open(long size) {
        lender = Media.memory("lender", BASE + size + 4096);
        return lender.window("win0", BASE, size).orElseThrow();
    }

    @AfterEach
    void closeLender() {
        lender.close();
    }

    @Test
    void sharesTheLendersMemoryAtItsBase() {
        medium.writeLong(0, 7);
        assertEquals(7, lender.readLong(BASE));
        lender.write(BASE + 64, new byte[] {1, 2, 3});
        byte[] back = new byte[3];
        medium.read(64, back);
        assertArrayEquals(new byte[] {1, 2, 3}, back);
        assertEquals(lender.persistence(), medium.persistence());
        assertEquals("win0", medium.name());
    }

    @Test
    void closingTheWindowLeavesTheLenderOpen() {
        medium.close();
        assertErrno(Errno.ENXIO, () -> medium.readLong(0));
        lender.writeLong(BASE, 5);
        assertEquals(5, lender.readLong(BASE));
        Medium again = lender.window("win1", BASE, SIZE).orElseThrow();
        assertEquals(5, again.readLong(0));
        again.close();
    }

    @Test
    void closingTheLenderClosesItsWindowsFirst() {
        Medium other = lender.window("win1", 0, 4096).orElseThrow();
        lender.close();
        NvdimmException e = org.junit.jupiter.api.Assertions.assertThrows(NvdimmException.class, () -> medium.readLong(0));
        assertEquals("win0: the medium is closed (ENXIO)", e.getMessage());
        assertErrno(Errno.ENXIO, () -> other.write(0, new byte[8]));
    }

    @Test
    void refusesWindowsOutsideTheLenderOrOnAClosedOne() {
        assertErrno(Errno.EINVAL, () -> lender.window("w", -8, 8));
        assertErrno(Errno.EINVAL, () -> lender.window("w", 0, -8));
        assertErrno(Errno.ENXIO, () -> lender.window("w", lender.size() - 8, 16));
        lender.close();
        assertErrno(Errno.ENXIO, () -> lender.window("w", 0, 8));
    }

    @Test
    void aWindowOnAMappedFilePersistsAndSyncsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dimm");
        try (Medium mapped = Media.mapFile(file, 3 * 4096, MapOption.CREATE)) {
            Medium window = mapped.window("w", 4096, 4096).orElseThrow();
            assertEquals(Medium.Persistence.PROCESS_CRASH, window.persistence());
            window.write(8, new byte[] {9, 8, 7});
            window.persist(8, 3);
            window.sync();
            window.drain();
            window.close();
        }
        assertArrayEquals(new byte[] {9, 8, 7}, Arrays.copyOfRange(Files.readAllBytes(file), 4096 + 8, 4096 + 11));
    }

    /**
     * A thread writes through a window again and again, each write with a value of its own, while
     * another closes the window: what the memory holds when close returns must be what it holds for
     * good (a write in flight then was finished before close returned; later ones fail with ENXIO).
     */
    @Test
    void nothingReachesTheMemoryOnceCloseHasReturned() throws Exception {
        SegmentMedium big = MemoryMedium.allocate("big", BIG);
        try {
            SegmentWindow window = SegmentWindow.open("w", big, 0, big.segment(), Arena.ofShared());
            assertTrue(nothingChangesAfterClose(big, window), "a write reached the memory after close returned");
        } finally {
            big.close();
        }
    }

    /**
     * Negative control: the same on a window whose arena's close stops nothing (a test double). The
     * writer then goes on writing after close has returned, which the check must catch.
     */
    @Test
    void withoutTheArenasCloseWritesGoOnAfterClose() throws Exception {
        SegmentMedium big = MemoryMedium.allocate("big", BIG);
        Arena inner = Arena.ofShared();
        try {
            Arena stopsNothing = new Arena() {
                @Override
                public MemorySegment allocate(long byteSize, long byteAlignment) {
                    return inner.allocate(byteSize, byteAlignment);
                }

                @Override
                public MemorySegment.Scope scope() {
                    return inner.scope();
                }

                @Override
                public void close() {
                }
            };
            SegmentWindow window = SegmentWindow.open("w", big, 0, big.segment(), stopsNothing);
            assertFalse(nothingChangesAfterClose(big, window), "the check missed writes after close");
        } finally {
            inner.close();
            big.close();
        }
    }

    private static final long BIG = 4L << 20;

    /**
     * Writes {@code BIG} bytes through {@code window} over and over, the k-th write all of value k (mod 256),
     * closes the window after the third, and returns whether the lender's memory when close returned
     * is what it holds once two more writes have had their chance (they fail when the close works).
     */
    private static boolean nothingChangesAfterClose(SegmentMedium lender, SegmentWindow window)
            throws InterruptedException {
        AtomicInteger writes = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment source = arena.allocate(BIG, 4096);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 1; !stop.get(); k++) { // values wrap at 256, far more writes than the check spans
                        source.fill((byte) k);
                        window.write(0, source);
                        writes.incrementAndGet();
                    }
                } catch (NvdimmException e) {
                    if (e.errno() != Errno.ENXIO) {
                        failure.set(e);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            while (writes.get() < 3 && writer.isAlive()) {
                Thread.onSpinWait();
            }
            window.close();
            MemorySegment atClose = arena.allocate(BIG, 4096).copyFrom(lender.segment());
            int counted = writes.get();
            // write counted + 2 began after the snapshot: wait for it, or for the writer to fail
            while (writer.isAlive() && writes.get() < counted + 2) {
                Thread.onSpinWait();
            }
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(writer.isAlive());
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            return atClose.mismatch(lender.segment()) == -1;
        }
    }

    /**
     * A second close racing with the first returns only once the first has closed the arena: held
     * here inside the arena's close by a test double, as the JDK holds it while it stops the accesses.
     */
    @Test
    void aSecondCloseWaitsForTheFirst() throws Exception {
        CountDownLatch inClose = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Arena inner = Arena.ofShared();
        Arena slowClose = new Arena() {
            @Override
            public MemorySegment allocate(long byteSize, long byteAlignment) {
                return inner.allocate(byteSize, byteAlignment);
            }

            @Override
            public MemorySegment.Scope scope() {
                return inner.scope();
            }

            @Override
            public void close() {
                inClose.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inner.close();
            }
        };
        SegmentMedium owner = (SegmentMedium) lender;
        SegmentWindow window = SegmentWindow.open("w", owner, 0, owner.segment().asSlice(0, 4096), slowClose);
        Thread first = Thread.ofPlatform().start(window::close);
        assertTrue(inClose.await(30, TimeUnit.SECONDS));
        Thread second = Thread.ofPlatform().start(window::close);
        while (second.isAlive() && second.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        boolean returnedEarly = !second.isAlive();
        release.countDown();
        first.join(30_000);
        second.join(30_000);
        assertFalse(returnedEarly, "a second close returned while the first was still closing the arena");
        assertFalse(inner.scope().isAlive());
    }
}
