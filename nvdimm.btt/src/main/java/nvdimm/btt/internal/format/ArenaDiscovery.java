package nvdimm.btt.internal.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * Finds the arenas of an existing BTT ({@code discover_arenas}): from the BTT's start, read each arena's info
 * block and check it as Linux does ({@link ArenaValidity}); an invalid first block means no BTT, an invalid
 * later one corrupted metadata. Each arena's geometry comes from its block ({@link ArenaGeometry#of}), the
 * next arena lies {@code nextoff} further, and the walk ends at an arena whose {@code nextoff} is 0. The log
 * slot layout is detected per arena ({@link LogIndices#detect}). Neither info2 nor the version of later arenas
 * is checked, as in Linux. Reads only.
 */
public final class ArenaDiscovery {

    private ArenaDiscovery() {
    }

    /**
     * Discovers the arenas.
     *
     * @param medium the medium the namespace lies on
     * @param bttStart where the BTT starts on the medium (the namespace's offset plus the initial offset),
     *     8-byte aligned
     * @param rawSize bytes from there to the namespace's end
     * @param namespaceUuid the namespace's uuid; empty for a label-less namespace
     * @param name the BTT's name for messages
     * @throws NvdimmException ENODEV for a namespace with no room for an info block after the BTT's start, a later
     *     invalid info block or a geometry that does not fit; ENXIO when
     *     the log layout cannot be deduced; EINVAL for a misaligned start; the medium's errno as it fails
     */
    public static Discovery discover(Medium medium, long bttStart, long rawSize, Optional<UUID> namespaceUuid,
            String name) {
        if (bttStart < 0 || bttStart % 8 != 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": BTT start " + bttStart + " is not 8-byte aligned");
        }
        if (rawSize < InfoBlock.SIZE) {
            // no first arena to judge: without this the walk would find no arena at all
            throw new NvdimmException(Errno.ENODEV, name + ": no BTT: " + rawSize + " bytes from the BTT's start at "
                    + bttStart + " to the namespace's end leave no room for an info block");
        }
        List<DiscoveredArena> arenas = new ArrayList<>();
        long offset = 0;
        long lba = 0;
        byte[] block = new byte[InfoBlock.SIZE];
        while (offset < rawSize) {
            String arena = name + " arena " + arenas.size();
            if (rawSize - offset < InfoBlock.SIZE) {
                throw new NvdimmException(Errno.ENODEV, arena + ": found corrupted metadata: no room for an info "
                        + "block at " + offset);
            }
            medium.read(bttStart + offset, block);
            ArenaValidity validity = ArenaValidity.of(block, namespaceUuid);
            if (validity != ArenaValidity.VALID) {
                if (arenas.isEmpty()) {
                    return new Discovery.NotFound(validity);
                }
                throw new NvdimmException(Errno.ENODEV, arena + ": found corrupted metadata: info block at "
                        + offset + ": " + validity.problem());
            }
            InfoBlock info = InfoBlock.decode(block);
            ArenaGeometry geometry = ArenaGeometry.of(info, offset, rawSize, arena);
            List<LogGroup> groups = readLog(medium, bttStart, geometry);
            LogIndices indices = LogIndices.detect(groups, arena);
            arenas.add(new DiscoveredArena(arena, info, geometry, lba, groups, indices));
            lba += geometry.externalNlba();
            offset += geometry.size();
            if (info.nextOff() == 0) {
                break;
            }
        }
        return new Discovery.Found(arenas);
    }

    /** Reads an arena's {@code nfree} log groups in one pass. */
    static List<LogGroup> readLog(Medium medium, long bttStart, ArenaGeometry geometry) {
        byte[] log = new byte[geometry.nfree() * LogGroup.SIZE];
        medium.read(bttStart + geometry.logGroupOffset(0), log);
        List<LogGroup> groups = new ArrayList<>(geometry.nfree());
        for (int lane = 0; lane < geometry.nfree(); lane++) {
            groups.add(LogGroup.decode(log, lane * LogGroup.SIZE));
        }
        return groups;
    }
}
