package nvdimm.btt.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Finding;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/**
 * The first info block of a two-arena BTT (over 512 GiB, on a sparse file that holds only its info blocks)
 * recovered by ndctl's second attempt: arena 0's own backup is gone too, so the last arena's backup is taken
 * with arena 0's fields from the damaged primary.
 */
class MultiArenaCheckTest {
    static final long SIZE = 4096 + (512L << 30) + (32L << 20);

    @Test
    void theLastArenasBackupRebuildsTheFirstInfoBlock(@TempDir Path dir) {
        try (Medium m = Media.mapFile(dir.resolve("ns.img"), SIZE, MapOption.CREATE)) {
            BttVersion v = BttVersion.V1_1;
            BttLayout layout = BttLayout.plan(SIZE - v.initialOffset(), 4096);
            assertEquals(2, layout.arenas().size());
            UUID uuid = UUID.randomUUID();
            for (ArenaGeometry a : layout.arenas()) {
                byte[] info = a.infoBlock(v, uuid, InfoBlock.NIL_UUID).toBytes();
                m.write(v.initialOffset() + a.infoOffset(), info);
                m.write(v.initialOffset() + a.info2Offset(), info);
            }
            ArenaGeometry first = layout.arenas().getFirst();
            m.write(v.initialOffset(), new byte[] {'X'}); // the signature: not a field attempt 2 copies
            m.write(v.initialOffset() + first.info2Offset(), new byte[16]);
            byte[] original = first.infoBlock(v, uuid, InfoBlock.NIL_UUID).toBytes();

            CheckReport r = BttCheck.check("ns", m, Optional.empty(), CheckOptions.REPAIR, Progress.NONE);
            Finding recovered = r.findings().getFirst();
            assertEquals(Finding.Check.INFO, recovered.check(), r.toString());
            assertEquals(Finding.Status.REPAIRED, recovered.status(), r.toString());
            assertTrue(recovered.message().contains("the last arena's backup info block"), recovered.message());
            byte[] now = new byte[InfoBlock.SIZE];
            m.read(v.initialOffset(), now);
            assertEquals(java.util.HexFormat.of().formatHex(original), java.util.HexFormat.of().formatHex(now));
            // the logs were never seeded (a full format would zero 512 MiB of map): the check stops there
            assertEquals(Finding.Check.LOG_INDICES, r.findings().get(1).check(), r.toString());
        }
    }
}
