package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/**
 * A BTT over 512 GiB + 64 MiB (v1.1, 4096-byte sectors) on a sparse file: a 512 GiB arena linked by
 * {@code nextoff} to a 64 MiB one. The maps are left as the sparse file's zeros (what {@link FreshLayout} would
 * write: 512 MiB of them), the logs and info blocks are written as it writes them.
 */
class MultiArenaTest {

    private static final long NAMESPACE = (512L << 30) + (64L << 20);

    @Test
    void twoArenasAreDiscoveredAndLbasCrossIntoTheSecond(@TempDir Path dir) {
        BttVersion v = BttVersion.V1_1;
        long raw = NAMESPACE - v.initialOffset();
        BttLayout layout = BttLayout.plan(raw, 4096);
        assertEquals(2, layout.arenas().size());
        try (Medium medium = Media.mapFile(dir.resolve("ns.img"), NAMESPACE, MapOption.CREATE)) {
            for (ArenaGeometry a : layout.arenas()) {
                for (int lane = 0; lane < a.nfree(); lane++) {
                    int spare = (int) (a.externalNlba() + lane);
                    LogWriter.writeSlot(medium, v.initialOffset() + a.logGroupOffset(lane), lane, spare, spare, 1);
                }
                byte[] info = a.infoBlock(v, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID).toBytes();
                medium.write(v.initialOffset() + a.info2Offset(), info);
                medium.write(v.initialOffset() + a.infoOffset(), info);
            }
            Discovery.Found found = assertInstanceOf(Discovery.Found.class,
                    ArenaDiscovery.discover(medium, v.initialOffset(), raw, Optional.empty(), "btt0.0"));
            List<ArenaGeometry> arenas = found.arenas().stream().map(DiscoveredArena::geometry).toList();
            assertEquals(layout.arenas(), arenas);
            assertEquals(1L << 39, found.arenas().get(0).info().nextOff());
            assertEquals(1L << 39, arenas.get(1).start());
            assertEquals(134086520L, found.arenas().get(1).externalLbaStart());
            assertEquals(134086520L + 16104, found.externalNlba());
            assertEquals((134086520L + 16104) * 4096, layout.capacity());
            ArenaIndex index = new ArenaIndex(arenas);
            long lba = 134086520L + 5;
            int a = index.arenaOf(lba);
            assertEquals(1, a);
            assertEquals(5, index.premap(lba, a));
            assertEquals(v.initialOffset() + (1L << 39) + arenas.get(1).mapOff() + 20,
                    v.initialOffset() + arenas.get(1).mapEntryOffset(5));
            for (DiscoveredArena arena : found.arenas()) {
                assertEquals(LogIndices.CURRENT, arena.logIndices());
                List<LaneRecovery> lanes = FreeListRecovery.arena(medium, v.initialOffset(), arena);
                assertEquals(arena.geometry().externalNlba() + 255, lanes.get(255).free().block());
                assertTrue(lanes.stream().allMatch(l -> l.rollForward().isEmpty()));
            }
        }
    }
}
