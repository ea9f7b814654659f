package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.MapEntry;
import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.testing.RecordingMedium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * Transfers of several sectors, the ends of the BTT, a closed BTT, a map entry past its arena, and the
 * barriers of the stores outside a sector write (a failed read's error flag, a cleared block), on a recording
 * medium that shows what is left unpersisted.
 */
class EngineBoundsTest {

    private static final int SECTOR = 512;
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    private final RecordingMedium recording = new RecordingMedium("ns", 18L << 20);
    private final HookedMedium medium = new HookedMedium(recording);

    private Btt fresh() {
        BttLayout layout = Btt.format(medium, BttVersion.V2_0, SECTOR, UUID.randomUUID(), InfoBlock.NIL_UUID);
        assertEquals(BttLayout.plan(medium.size(), SECTOR), layout, "format returns the layout it wrote");
        medium.sync();
        return Btt.load("btt0.0", medium, BttVersion.V2_0, Optional.empty(),
                TestLanes.pool("region0", lockdep, 2, LanePolicy.HASH), lockdep, MediaErrors.NONE);
    }

    private static byte[] sectors(int count, int seed) {
        byte[] b = new byte[count * SECTOR];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static NvdimmException fails(Errno errno, Runnable io) {
        NvdimmException e = assertThrows(NvdimmException.class, io::run);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    @Test
    void aTransferOfSeveralSectorsMovesEachToItsOwnLba() {
        Btt btt = fresh();
        byte[] three = sectors(3, 1);
        btt.write(10, MemorySegment.ofArray(three));
        for (int i = 0; i < 3; i++) {
            byte[] one = new byte[SECTOR];
            btt.read(10 + i, MemorySegment.ofArray(one));
            assertArrayEquals(java.util.Arrays.copyOfRange(three, i * SECTOR, (i + 1) * SECTOR), one, "LBA " + (10 + i));
        }
        byte[] back = new byte[3 * SECTOR];
        btt.read(10, MemorySegment.ofArray(back));
        assertArrayEquals(three, back);
        assertEquals(0, recording.pendingWords(), "a returned write is persisted");
    }

    @Test
    void theLastSectorsAreInsideAndOnePastIsNot() {
        Btt btt = fresh();
        long last = btt.sectors() - 1;
        btt.write(last - 1, MemorySegment.ofArray(sectors(2, 2)));
        fails(Errno.ENXIO, () -> btt.write(last, MemorySegment.ofArray(sectors(2, 3))));
        fails(Errno.ENXIO, () -> btt.read(last + 1, MemorySegment.ofArray(new byte[SECTOR])));
        fails(Errno.EINVAL, () -> btt.read(-1, MemorySegment.ofArray(new byte[SECTOR])));
        fails(Errno.EINVAL, () -> btt.write(0, MemorySegment.ofArray(new byte[SECTOR + 1])));
        assertEquals(btt.sectors() * 512, btt.capacity());
        assertEquals(512, btt.dataBytes());
    }

    @Test
    void aClosedBttRefusesIoWithEnxio() {
        Btt btt = fresh();
        assertTrue(btt.isOpen());
        btt.close();
        assertFalse(btt.isOpen());
        fails(Errno.ENXIO, () -> btt.read(0, MemorySegment.ofArray(new byte[SECTOR])));
        fails(Errno.ENXIO, () -> btt.write(0, MemorySegment.ofArray(new byte[SECTOR])));
        fails(Errno.ENXIO, btt::flush);
    }

    @Test
    void aMapEntryNamingTheFirstBlockPastTheArenaFailsReadsWritesAndTheCheck() {
        Btt btt = fresh();
        Arena arena = btt.arena(0);
        long past = arena.geometry.internalNlba();
        medium.writeInt(arena.mapEntry(4), MapEntry.normal(past));
        NvdimmException read = fails(Errno.EIO, () -> btt.read(4, MemorySegment.ofArray(new byte[SECTOR])));
        assertTrue(read.getMessage().contains("past the arena"), read.getMessage());
        fails(Errno.EIO, () -> btt.write(4, MemorySegment.ofArray(new byte[SECTOR])));
        List<String> problems = btt.consistencyProblems();
        assertTrue(problems.toString().contains("LBA 4 names block " + past), problems.toString());
        // the last block is fine
        medium.writeInt(arena.mapEntry(4), MapEntry.normal(past - 1));
        arena.freeBlock[arena.nfree() - 1] = 4; // the block LBA 4 left, so that the bitmap stays whole
        assertEquals(List.of(), btt.consistencyProblems());
    }

    @Test
    void aFailedReadsErrorFlagIsPersisted() {
        Btt btt = fresh();
        btt.write(5, MemorySegment.ofArray(sectors(1, 4)));
        Arena arena = btt.arena(0);
        medium.failReads(arena.dataBlock(MapEntry.block(medium.readInt(arena.mapEntry(5)))), SECTOR);
        fails(Errno.EIO, () -> btt.read(5, MemorySegment.ofArray(new byte[SECTOR])));
        assertEquals(MapEntry.State.ERROR, MapEntry.state(medium.readInt(arena.mapEntry(5))));
        assertEquals(0, recording.pendingWords(), "the error flag is persisted");
    }

    @Test
    void clearingWithoutBadBlocksWritesPersistedZeros() {
        Medium m = recording;
        m.writeLong(4096, -1L);
        m.persist(4096, 8);
        MediaErrors.NONE.clear(m, 4096, 4096, MemorySegment.ofArray(new byte[4096]));
        assertEquals(0, m.readLong(4096));
        assertEquals(0, recording.pendingWords());
        assertFalse(MediaErrors.NONE.isBad(0, m.size()));
    }

    /**
     * Found by BttLoadFuzzTest (crash-646f97af…): a lane whose newer log entry names a bad (E-flagged) old block
     * past the arena had that block "cleared" by loading, a store of zeros outside the arena (past the medium's
     * end there). Now loading leaves it, and a write on the lane fails with EIO before storing anything.
     */
    @Test
    void aBadFreeBlockPastTheArenaIsClearedNeitherByLoadingNorByAWrite() {
        nvdimm.btt.testing.FuzzMedium m = new nvdimm.btt.testing.FuzzMedium("ns", 18L << 20);
        BttLayout layout = Btt.format(m, BttVersion.V2_0, SECTOR, UUID.randomUUID(), InfoBlock.NIL_UUID);
        nvdimm.btt.internal.format.ArenaGeometry g = layout.arenas().getFirst();
        for (int lane = 0; lane < g.nfree(); lane++) {
            // slot 0 is each fresh lane's newer entry; its old_map: the E flag alone, a block past the arena
            m.writeInt(g.logGroupOffset(lane) + 4, MapEntry.E_FLAG | (int) (g.internalNlba() + 5 + lane));
        }
        m.recordWrites();
        Btt btt = Btt.load("btt0.0", m, BttVersion.V2_0, Optional.empty(),
                TestLanes.pool("region0", lockdep, 2, LanePolicy.HASH), lockdep, MediaErrors.NONE);
        assertEquals(List.of(), m.writes(), "loading stored");
        NvdimmException e = fails(Errno.EIO, () -> btt.write(3, MemorySegment.ofArray(sectors(1, 3))));
        assertTrue(e.detail().contains("free block") && e.detail().contains("is past the arena's " + g.internalNlba()),
                e.detail());
        assertEquals(List.of(), m.writes(), "a refused write stored");
        m.assertNoViolations();
        byte[] zero = new byte[SECTOR];
        btt.read(3, MemorySegment.ofArray(zero));
        assertArrayEquals(new byte[SECTOR], zero);
    }
}
