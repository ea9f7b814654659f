package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.MapEntry;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * The engine against Linux's {@code btt.c} (nvdimm-formats.md §1.8, §1.9): a failed data read sets the map's
 * error flag; writing an errored LBA logs its old block with E and clears that block once freed; a bad free
 * block is cleared before use and a failed clear fails the write with its errno; an arena whose info block
 * carries the error flag refuses writes but reads; map locks hash by cache line; the read path re-checks the
 * map after publishing its block in the read-tracking table, and a writer waits for a reader of its free
 * block; errnos pass through unchanged.
 */
class EngineErrorsTest {

    private static final int SECTOR = 4096;
    private final List<Object> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, reports::add);
    private final HookedMedium medium = new HookedMedium(Media.memory("ns", 18L << 20));

    @AfterEach
    void close() {
        medium.close();
        assertEquals(List.of(), reports, "the validator reported");
    }

    private Btt fresh(int lanes, MediaErrors errors) {
        Btt.format(medium, BttVersion.V1_1, SECTOR, UUID.randomUUID(), InfoBlock.NIL_UUID);
        return load(lanes, errors);
    }

    private Btt load(int lanes, MediaErrors errors) {
        return Btt.load("btt0.0", medium, BttVersion.V1_1, Optional.empty(),
                TestLanes.pool("region0", lockdep, lanes, LanePolicy.STICKY), lockdep, errors);
    }

    private static byte[] data(int seed) {
        byte[] b = new byte[SECTOR];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static void write(Btt btt, long lba, byte[] data) {
        btt.write(lba, MemorySegment.ofArray(data));
    }

    private static byte[] read(Btt btt, long lba) {
        byte[] got = new byte[SECTOR];
        btt.read(lba, MemorySegment.ofArray(got));
        return got;
    }

    private static int rawMap(Btt btt, long lba) {
        return btt.medium().readInt(btt.arena(0).mapEntry(lba));
    }

    private static NvdimmException fails(Errno errno, Runnable io) {
        NvdimmException e = assertThrows(NvdimmException.class, io::run);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    @Test
    void aFailedDataReadSetsTheErrorFlagAndReadsFailUntilTheLbaIsWritten() {
        Btt btt = fresh(2, MediaErrors.NONE);
        write(btt, 5, data(1));
        long block = MapEntry.block(rawMap(btt, 5));
        medium.failReads(btt.arena(0).dataBlock(block), SECTOR);

        NvdimmException e = fails(Errno.EIO, () -> read(btt, 5));
        assertTrue(e.getMessage().contains("injected"), "the medium's own failure: " + e.getMessage());
        assertEquals(MapEntry.error(block), rawMap(btt, 5), "the map entry carries E on the same block");
        medium.heal();
        fails(Errno.EIO, () -> read(btt, 5));
        assertArrayEquals(new byte[SECTOR], read(btt, 6), "other LBAs read as before");
        assertEquals(List.of(), btt.consistencyProblems());
        // and so after a reload: E is on the media
        fails(Errno.EIO, () -> read(load(2, MediaErrors.NONE), 5));
    }

    @Test
    void aReadFailingWithAnotherErrnoPassesItOnAndLeavesTheMap() {
        Btt btt = fresh(2, MediaErrors.NONE);
        write(btt, 5, data(1));
        int before = rawMap(btt, 5);
        medium.errno = Errno.ENXIO;
        medium.failReads(btt.arena(0).dataBlock(MapEntry.block(before)), SECTOR);
        fails(Errno.ENXIO, () -> read(btt, 5));
        assertEquals(before, rawMap(btt, 5));
        medium.heal();
        assertArrayEquals(data(1), read(btt, 5));
    }

    @Test
    void writingAnErroredLbaRemapsItLogsEAndClearsTheFreedBlock() {
        BadFreeBlocks errors = new BadFreeBlocks();
        Btt btt = fresh(1, errors);
        write(btt, 5, data(1));
        long bad = MapEntry.block(rawMap(btt, 5));
        long badAt = btt.arena(0).dataBlock(bad);
        medium.failReads(badAt, SECTOR);
        fails(Errno.EIO, () -> read(btt, 5));
        medium.heal();

        write(btt, 5, data(2));
        assertArrayEquals(data(2), read(btt, 5));
        Arena arena = btt.arena(0);
        assertEquals(bad, arena.freeBlock[0], "the errored block is the lane's free block now");
        assertFalse(arena.freeErr[0], "and it was cleared");
        assertEquals(1, errors.cleared);
        byte[] cleared = new byte[SECTOR];
        medium.read(badAt, cleared);
        assertArrayEquals(new byte[SECTOR], cleared, "the freed block was zeroed");
        long slot = arena.logSlot(0, 1 - arena.freeSub[0]);
        int oldMap = (int) (medium.readLong(slot) >>> 32);
        assertEquals(MapEntry.error(bad), oldMap, "the log's old_map carries E");
        assertEquals(List.of(), btt.consistencyProblems());
        // Linux clears such a block again when it loads (btt_freelist_init)
        assertEquals(1, load(1, MediaErrors.NONE).recoveryStores());
    }

    @Test
    void aBadFreeBlockIsClearedBeforeItIsUsed() {
        BadFreeBlocks errors = new BadFreeBlocks();
        Btt btt = fresh(1, errors);
        Arena arena = btt.arena(0);
        long free = arena.freeBlock[0];
        errors.mark(arena.dataBlock(free), 512);
        write(btt, 9, data(3));
        assertEquals(1, errors.cleared);
        assertEquals(MapEntry.normal(free), rawMap(btt, 9), "the cleared block took the write");
        assertArrayEquals(data(3), read(btt, 9));
    }

    @Test
    void aFailedClearFailsTheWriteWithItsErrnoAndChangesNothing() {
        MediaErrors stuck = new MediaErrors() {
            @Override
            public boolean isBad(long offset, long length) {
                return true;
            }

            @Override
            public void clear(Medium m, long offset, long length, MemorySegment zeros) {
                throw new NvdimmException(Errno.EBUSY, "clearing " + offset + " failed");
            }
        };
        Btt btt = fresh(1, stuck);
        int before = rawMap(btt, 9);
        fails(Errno.EBUSY, () -> write(btt, 9, data(3)));
        assertEquals(before, rawMap(btt, 9));
        assertEquals(List.of(), btt.consistencyProblems());
    }

    @Test
    void anInfoBlockWithTheErrorFlagMakesTheArenaReadOnly() {
        Btt btt = fresh(2, MediaErrors.NONE);
        write(btt, 3, data(4));
        ArenaGeometry g = btt.arenas().getFirst().geometry();
        for (long off : new long[] {g.infoOffset(), g.info2Offset()}) {
            long at = BttVersion.V1_1.initialOffset() + off;
            byte[] info = new byte[InfoBlock.SIZE];
            medium.read(at, info);
            info[48] |= (byte) InfoBlock.FLAG_ERROR;
            medium.write(at, InfoBlock.decode(info).sealed().toBytes());
        }
        Btt flagged = load(2, MediaErrors.NONE);
        NvdimmException e = fails(Errno.EIO, () -> write(flagged, 3, data(5)));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertArrayEquals(data(4), read(flagged, 3), "reads still work");
    }

    @Test
    void mapLocksHashByCacheLineModuloNfree() {
        Arena arena = fresh(2, MediaErrors.NONE).arena(0);
        assertSame(arena.mapLock(0), arena.mapLock(15), "16 entries share a 64-byte line");
        assertNotSame(arena.mapLock(15), arena.mapLock(16));
        assertSame(arena.mapLock(0), arena.mapLock(16 * 256), "line 256 wraps to lock 0");
        assertSame(arena.mapLock(17), arena.mapLock(16 * 257 + 3));
    }

    @Test
    void aPersistFailurePassesItsErrnoThrough() {
        Btt btt = fresh(1, MediaErrors.NONE);
        medium.errno = Errno.ENOSPC;
        medium.failPersists(btt.arena(0).logSlot(0, 0), 64 * 256);
        int before = rawMap(btt, 9);
        fails(Errno.ENOSPC, () -> write(btt, 9, data(3)));
        assertEquals(before, rawMap(btt, 9), "no map update without a log commit");
    }

    /**
     * A reader that read LBA 5's map entry (block O) is held before it publishes O; meanwhile a writer moves
     * LBA 5 to a new block and writes LBA 7 into O. The reader's re-check of the map sees the move and reads
     * the new block: LBA 5's new data, not LBA 7's.
     */
    @Test
    void theReadPathRechecksTheMapAfterPublishingItsBlock() throws InterruptedException {
        Btt btt = fresh(3, MediaErrors.NONE); // sticky: the main thread, the reader and the writer each a lane
        write(btt, 5, data(1));
        long mapAt = btt.arena(0).mapEntry(5);
        byte[][] got = new byte[1][];
        Thread[] reader = new Thread[1];
        CountDownLatch once = new CountDownLatch(1);
        medium.afterReadInt = offset -> {
            if (offset == mapAt && Thread.currentThread() == reader[0] && once.getCount() > 0) {
                once.countDown();
                Thread writer = Thread.ofPlatform().start(() -> {
                    write(btt, 5, data(2)); // LBA 5 leaves block O, the writer's lane frees O
                    write(btt, 7, data(3)); // the same lane writes LBA 7 into O: no reader tracks O yet
                });
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        reader[0] = Thread.ofPlatform().unstarted(() -> got[0] = read(btt, 5));
        reader[0].start();
        reader[0].join();
        assertEquals(0, once.getCount(), "the interleaving happened");
        assertArrayEquals(data(2), got[0]);
        assertArrayEquals(data(3), read(btt, 7));
        assertEquals(List.of(), btt.consistencyProblems());
    }

    /**
     * A reader of LBA 5 (block O) is held just before it copies O's data; a writer moves LBA 5 away (its lane
     * frees O) and then writes LBA 7, which needs O: it must wait until the reader is done, so the reader gets
     * LBA 5's old data whole. The main thread lets the reader go after the second write finished or half a
     * second passed, whichever comes first.
     */
    @Test
    void aWriterWaitsForAReaderOfItsFreeBlock() throws InterruptedException {
        Btt btt = fresh(3, MediaErrors.NONE); // sticky: the main thread, the reader and the writer each a lane
        write(btt, 5, data(1));
        long oldAt = btt.arena(0).dataBlock(MapEntry.block(rawMap(btt, 5)));
        CountDownLatch readerHeld = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        byte[][] got = new byte[1][];
        Thread[] reader = new Thread[1];
        medium.beforeRead = (offset, length) -> {
            if (offset == oldAt && Thread.currentThread() == reader[0] && readerHeld.getCount() > 0) {
                readerHeld.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        reader[0] = Thread.ofPlatform().unstarted(() -> got[0] = read(btt, 5));
        reader[0].start();
        readerHeld.await();
        Thread writer = Thread.ofPlatform().start(() -> {
            write(btt, 5, data(2));
            write(btt, 7, data(3)); // into O, which the reader is reading
        });
        writer.join(java.time.Duration.ofMillis(500)); // a bounded chance to break in; nothing is timed
        letGo.countDown();
        reader[0].join();
        writer.join();
        assertArrayEquals(data(1), got[0], "the reader got LBA 5's old data whole");
        assertArrayEquals(data(2), read(btt, 5));
        assertArrayEquals(data(3), read(btt, 7));
    }

    /**
     * As above, but the reader's block is a known bad block by the time the writer's lane takes it: clearing it
     * writes zeros into it, so the writer must wait for the reader before the clear too, or the reader returns
     * zeros for LBA 5 (Linux clears without looking at the read-tracking table).
     */
    @Test
    void aWriterWaitsForAReaderBeforeClearingItsBadFreeBlock() throws InterruptedException {
        BadFreeBlocks errors = new BadFreeBlocks();
        Btt btt = fresh(3, errors); // sticky: the main thread, the reader and the writer each a lane
        write(btt, 5, data(1));
        long oldAt = btt.arena(0).dataBlock(MapEntry.block(rawMap(btt, 5)));
        CountDownLatch readerHeld = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        byte[][] got = new byte[1][];
        Thread[] reader = new Thread[1];
        medium.beforeRead = (offset, length) -> {
            if (offset == oldAt && Thread.currentThread() == reader[0] && readerHeld.getCount() > 0) {
                readerHeld.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        reader[0] = Thread.ofPlatform().unstarted(() -> got[0] = read(btt, 5));
        reader[0].start();
        readerHeld.await();
        Thread writer = Thread.ofPlatform().start(() -> {
            write(btt, 5, data(2)); // the writer's lane frees the reader's block...
            errors.mark(oldAt, 512); // ...which turns out bad
            write(btt, 7, data(3)); // so this write clears it before using it
        });
        writer.join(java.time.Duration.ofMillis(500)); // a bounded chance to break in; nothing is timed
        letGo.countDown();
        reader[0].join();
        writer.join();
        assertArrayEquals(data(1), got[0], "the reader got LBA 5's old data whole");
        assertEquals(1, errors.cleared);
        assertArrayEquals(data(3), read(btt, 7));
    }
}
