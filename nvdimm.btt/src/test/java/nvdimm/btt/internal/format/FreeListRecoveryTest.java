package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** {@code btt_freelist_init}: the free block, sub and seq per lane, the roll-forward rule, bad free blocks. */
class FreeListRecoveryTest {

    private static final ArenaGeometry ARENA = BttLayout.plan(64L << 20, 4096).arenas().getFirst();
    private static final int EXT = (int) ARENA.externalNlba();
    private static final LogEntry P = LogEntry.PADDING;

    private final Map<Long, Integer> map = new HashMap<>();

    private LaneRecovery recover(int lane, LogIndices indices, LogEntry... slots) {
        return FreeListRecovery.lane(lane, new LogGroup(List.of(slots)), indices, ARENA,
                premap -> map.getOrDefault(premap, 0), "btt0.0 arena 0");
    }

    private LaneRecovery recover(int lane, LogEntry... slots) {
        return recover(lane, LogIndices.CURRENT, slots);
    }

    @Test
    void aFreshLaneFreesItsSpareBlockAndWritesSlotOneWithSeqTwoNext() {
        LaneRecovery r = recover(3, LogGroup.fresh(3, EXT).slots().toArray(LogEntry[]::new));
        assertEquals(new FreeLane(3, EXT + 3, 1, 2, false), r.free());
        assertEquals(new LogEntry(3, EXT + 3, EXT + 3, 1), r.newer());
        assertTrue(r.rollForward().isEmpty());
        assertFalse(r.clearBlock());
    }

    @Test
    void aCompletedWriteFreesTheOldBlockAndNeedsNothing() {
        map.put(7L, MapEntry.normal(EXT + 3));
        LaneRecovery r = recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1), new LogEntry(7, 7, EXT + 3, 2), P, P);
        assertEquals(new FreeLane(3, 7, 0, 3, false), r.free());
        assertTrue(r.rollForward().isEmpty());
    }

    @Test
    void aWriteCutAfterItsLogCommitIsRolledForwardAsANormalEntry() {
        // map[7] still identity (= block 7 = the logged old block): the map update was lost
        LaneRecovery r = recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1), new LogEntry(7, 7, EXT + 3, 2), P, P);
        assertEquals(Optional.of(new LaneRecovery.MapUpdate(7, MapEntry.normal(EXT + 3))), r.rollForward());
        map.put(7L, MapEntry.error(7));
        assertTrue(recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1), new LogEntry(7, 7, EXT + 3, 2), P, P)
                .rollForward().isPresent(), "the map's flags are stripped before comparing");
    }

    @Test
    void noRollForwardWhenTheMapNamesNeitherOrTheNewBlock() {
        map.put(7L, MapEntry.normal(99));
        assertTrue(recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1), new LogEntry(7, 7, EXT + 3, 2), P, P)
                .rollForward().isEmpty());
        map.put(7L, MapEntry.normal(EXT + 3));
        assertTrue(recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1), new LogEntry(7, 7, EXT + 3, 2), P, P)
                .rollForward().isEmpty());
    }

    @Test
    void theNewerEntryIsChosenBySeqAcrossTheWrapAndInTheOldLayout() {
        map.put(9L, MapEntry.normal(20));
        LaneRecovery wrapped = recover(0, new LogEntry(9, 30, 20, 1), new LogEntry(8, 40, 30, 3), P, P);
        assertEquals(new FreeLane(0, 30, 1, 2, false), wrapped.free(), "1 follows 3: slot 0 is newer");
        LaneRecovery old = recover(0, LogIndices.OLD, new LogEntry(8, 40, 30, 1), P, new LogEntry(9, 30, 20, 2), P);
        assertEquals(new FreeLane(0, 30, 0, 3, false), old.free(), "slot 2 is the second live slot");
    }

    @Test
    void anOldBlockWithTheErrorFlagOnlyIsBadAndMustBeCleared() {
        map.put(7L, MapEntry.normal(EXT + 3));
        LaneRecovery r = recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1),
                new LogEntry(7, MapEntry.error(7), EXT + 3, 2), P, P);
        assertEquals(new FreeLane(3, 7, 0, 3, true), r.free());
        assertTrue(r.clearBlock());
        LaneRecovery normal = recover(3, new LogEntry(3, EXT + 3, EXT + 3, 1),
                new LogEntry(7, MapEntry.normal(7), EXT + 3, 2), P, P);
        assertFalse(normal.clearBlock(), "both flags is a normal entry, not an error");
        assertEquals(7, normal.free().block());
    }

    @Test
    void equalOrImpossibleSeqsAreLogCorruption() {
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> recover(5, new LogEntry(1, 2, 3, 2), new LogEntry(1, 2, 3, 2), P, P));
        assertEquals(Errno.EIO, e.errno());
        assertEquals("btt0.0 arena 0: log corruption: lane 5 seq [2, 2]", e.detail());
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class,
                () -> recover(5, new LogEntry(1, 2, 3, 3), new LogEntry(1, 2, 3, 4), P, P)).errno());
        NvdimmException seq = assertThrows(NvdimmException.class,
                () -> recover(5, new LogEntry(0, 0, 0, 0), new LogEntry(1, 2, 3, 7), P, P));
        assertTrue(seq.detail().contains("newer seq 7 is out of range"), seq.detail());
    }

    @Test
    void aNewerEntryForAnLbaOutsideTheArenaIsRefused() {
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> recover(1, new LogEntry(1, EXT + 1, EXT + 1, 1), new LogEntry(EXT, 5, EXT + 1, 2), P, P));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.detail().contains("lba " + EXT), e.detail());
    }

    @Test
    void aLaneNeverUsedTakesItsSecondSlotAsNewer() {
        // seq 0 in the first slot: Linux calls it the older whatever the second holds
        LaneRecovery r = recover(2, new LogEntry(0, 0, 0, 0), new LogEntry(2, EXT + 2, EXT + 2, 1), P, P);
        assertEquals(new FreeLane(2, EXT + 2, 0, 2, false), r.free());
    }
}
