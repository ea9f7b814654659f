package nvdimm.btt.internal.check;

import java.util.List;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LogGroup;
import nvdimm.btt.internal.format.LogIndices;

/**
 * An arena as the checker found it.
 *
 * @param index its number
 * @param bttStart the BTT's start on the medium; the geometry's offsets are from there
 * @param info its verified primary info block
 * @param infoBytes the primary's bytes (what info2 must equal)
 * @param geometry where its parts lie
 * @param groups its log groups
 * @param indices its live log slots
 * @param externalLbaStart its first external LBA
 */
record CheckedArena(int index, long bttStart, InfoBlock info, byte[] infoBytes, ArenaGeometry geometry,
        List<LogGroup> groups, LogIndices indices, long externalLbaStart) {

    long mapEntry(long premap) {
        return bttStart + geometry.mapEntryOffset(premap);
    }

    long logGroup(int lane) {
        return bttStart + geometry.logGroupOffset(lane);
    }

    long info2() {
        return bttStart + geometry.info2Offset();
    }

    long primary() {
        return bttStart + geometry.infoOffset();
    }
}
