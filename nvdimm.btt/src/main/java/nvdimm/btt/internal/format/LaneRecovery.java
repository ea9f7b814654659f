package nvdimm.btt.internal.format;

import java.util.Optional;

/**
 * What loading decides for one lane ({@code btt_freelist_init}): its free-list entry, and the writes Linux
 * does at load, which this layer only describes.
 *
 * @param free the lane's free-list entry
 * @param newer the lane's newer log entry, as read
 * @param clearBlock whether the free block must be written with zeros now ({@link FreeLane#hasError()} and the
 *     block inside the arena): the data bytes of a sector (512 or 4096) at the block, as
 *     {@code arena_clear_freelist_error}
 * @param rollForward the map entry to write, if the crash fell between the log commit and the map update
 */
public record LaneRecovery(FreeLane free, LogEntry newer, boolean clearBlock, Optional<MapUpdate> rollForward) {

    /**
     * A map write: {@code raw} at pre-map LBA {@code premap}.
     *
     * @param premap the arena's pre-map LBA
     * @param raw the entry to store
     */
    public record MapUpdate(long premap, int raw) {
    }
}
