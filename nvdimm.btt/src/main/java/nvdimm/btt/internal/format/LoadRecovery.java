package nvdimm.btt.internal.format;

import java.util.List;

import nvdimm.bus.Medium;

/**
 * Applies what {@link FreeListRecovery} decided, in Linux's order per lane: a bad free block is cleared (the
 * data bytes of a sector, 512 or 4096, written with zeros and persisted; the integrity bytes after them are
 * left, as {@code arena_clear_freelist_error} leaves them), then a lost map update is redone (one atomic
 * 4-byte store, persisted). The only writes loading makes.
 */
public final class LoadRecovery {

    private LoadRecovery() {
    }

    /**
     * Applies the lanes' recoveries.
     *
     * @param medium the medium
     * @param bttStart the BTT's start on it
     * @param geometry the arena
     * @param lanes what {@link FreeListRecovery#arena} returned for it
     * @return how many stores were made (blocks cleared plus map entries written)
     * @throws nvdimm.bus.NvdimmException the medium's errno at the first failing store; earlier lanes stay applied
     */
    public static int apply(Medium medium, long bttStart, ArenaGeometry geometry, List<LaneRecovery> lanes) {
        byte[] zeros = null;
        int stores = 0;
        for (LaneRecovery lane : lanes) {
            if (lane.clearBlock()) {
                if (zeros == null) {
                    zeros = new byte[SectorSizes.dataBytes(geometry.externalLbaSize())];
                }
                long at = bttStart + geometry.dataBlockOffset(lane.free().block());
                medium.write(at, zeros);
                medium.persist(at, zeros.length);
                stores++;
            }
            if (lane.rollForward().isPresent()) {
                LaneRecovery.MapUpdate update = lane.rollForward().get();
                long at = bttStart + geometry.mapEntryOffset(update.premap());
                medium.writeInt(at, update.raw());
                medium.persist(at, 4);
                stores++;
            }
        }
        return stores;
    }
}
