package nvdimm.btt.internal.format;

import java.util.List;

/**
 * An existing arena found by {@link ArenaDiscovery}: its info block, the geometry it describes, its log
 * groups as read, and the live log slots detected from them.
 *
 * @param name the arena's name for messages ({@code "btt0.0 arena 1"})
 * @param info the primary info block
 * @param geometry where its parts lie
 * @param externalLbaStart the first external LBA it holds
 * @param logGroups the log groups, lane 0 first ({@code nfree} of them)
 * @param logIndices the live slots
 */
public record DiscoveredArena(String name, InfoBlock info, ArenaGeometry geometry, long externalLbaStart,
        List<LogGroup> logGroups, LogIndices logIndices) {

    public DiscoveredArena {
        logGroups = List.copyOf(logGroups);
    }

    /** Whether the info block's error flag is set: the arena is read-only (writes fail with EIO). */
    public boolean readOnly() {
        return info.errorFlag();
    }
}
