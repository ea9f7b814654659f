package nvdimm.btt.internal.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongToIntFunction;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * Rebuilds an arena's free list from its log, as Linux's {@code btt_freelist_init}, and decides the
 * roll-forward of a write cut between its log commit and its map update. Pure: it reads, and returns what
 * must be written ({@link LaneRecovery}); the caller writes it.
 *
 * <p>Per lane: the newer of the two live entries ({@link LogSeq#older}) gives the free block (its
 * {@code old_map}, flags stripped), the sub-entry to overwrite next (the older) and the next seq. A newer
 * {@code old_map} with E set that is not a normal entry marks the block bad: clear it. When the newer entry's
 * old and new blocks differ, the map entry of its LBA is read (translated: an identity entry is the LBA
 * itself); if it still names the old block and not the new one, the map update was lost and is redone as a
 * normal entry of the new block. This is safe because the data was persisted before the log commit.
 */
public final class FreeListRecovery {

    private FreeListRecovery() {
    }

    /**
     * Recovers one lane.
     *
     * @param lane the lane
     * @param group its log group
     * @param indices the arena's live slots
     * @param geometry the arena
     * @param mapRead reads the raw map entry of a pre-map LBA
     * @param arena the arena's name for messages
     * @throws NvdimmException EIO ("log corruption") for equal or impossible seqs, a newer seq above 3, or a
     *     newer entry whose LBA lies outside the arena (Linux would read a map entry past the map there)
     */
    public static LaneRecovery lane(int lane, LogGroup group, LogIndices indices, ArenaGeometry geometry,
            LongToIntFunction mapRead, String arena) {
        LogEntry first = group.slot(indices.first());
        LogEntry second = group.slot(indices.second());
        int older = LogSeq.older(first.seq(), second.seq());
        if (older < 0) {
            throw corruption(arena, lane, "seq [" + Integer.toUnsignedString(first.seq()) + ", "
                    + Integer.toUnsignedString(second.seq()) + "]");
        }
        LogEntry newer = older == 0 ? second : first;
        int nextSeq = LogSeq.next(newer.seq());
        if (nextSeq < 0) {
            throw corruption(arena, lane, "newer seq " + Integer.toUnsignedString(newer.seq()) + " is out of range");
        }
        int oldBlock = MapEntry.block(newer.oldMap());
        int newBlock = MapEntry.block(newer.newMap());
        boolean bad = MapEntry.hasErrorBit(newer.oldMap()) && !MapEntry.isNormal(newer.oldMap());
        FreeLane free = new FreeLane(lane, oldBlock, older, nextSeq, bad);
        Optional<LaneRecovery.MapUpdate> rollForward = Optional.empty();
        if (oldBlock != newBlock) {
            long lba = Integer.toUnsignedLong(newer.lba());
            if (lba >= geometry.externalNlba()) {
                throw corruption(arena, lane, "newer entry's lba " + lba + " is past the arena's "
                        + geometry.externalNlba() + " sectors");
            }
            long mapped = MapEntry.postMap(mapRead.applyAsInt(lba), lba);
            if (mapped != newBlock && mapped == oldBlock) {
                rollForward = Optional.of(new LaneRecovery.MapUpdate(lba, MapEntry.normal(newBlock)));
            }
        }
        // a bad block past the arena is not cleared (that store would land outside the data blocks); the engine
        // refuses the lane's writes instead
        return new LaneRecovery(free, newer, bad && oldBlock < geometry.internalNlba(), rollForward);
    }

    /**
     * Recovers every lane of an arena from the medium.
     *
     * @param medium the medium
     * @param bttStart the BTT's start on the medium (namespace offset plus initial offset)
     * @param found the discovered arena
     */
    public static List<LaneRecovery> arena(Medium medium, long bttStart, DiscoveredArena found) {
        ArenaGeometry g = found.geometry();
        List<LaneRecovery> lanes = new ArrayList<>(g.nfree());
        for (int lane = 0; lane < g.nfree(); lane++) {
            LogGroup group = found.logGroups().get(lane);
            lanes.add(lane(lane, group, found.logIndices(), g,
                    premap -> medium.readInt(bttStart + g.mapEntryOffset(premap)), found.name()));
        }
        return lanes;
    }

    private static NvdimmException corruption(String arena, int lane, String problem) {
        return new NvdimmException(Errno.EIO, arena + ": log corruption: lane " + lane + " " + problem);
    }
}
