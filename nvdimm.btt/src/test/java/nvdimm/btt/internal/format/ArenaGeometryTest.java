package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** {@link ArenaGeometry#of}: what an info block describes, and the fields this stack refuses to trust. */
class ArenaGeometryTest {

    private static final long RAW = 64L << 20;
    private static final ArenaGeometry REAL = BttLayout.plan(RAW, 4104).arenas().getFirst();
    private static final InfoBlock INFO = REAL.infoBlock(BttVersion.V1_1, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID);

    private static InfoBlock with(UnaryOperator<long[]> change) {
        long[] f = change.apply(new long[] {INFO.externalLbaSize(), INFO.externalNlba(), INFO.internalLbaSize(),
            INFO.internalNlba(), INFO.nfree(), INFO.nextOff(), INFO.dataOff(), INFO.mapOff(), INFO.logOff(),
            INFO.info2Off()});
        return new InfoBlock(INFO.uuid(), INFO.parentUuid(), 0, 1, 1, f[0], f[1], f[2], f[3], f[4], 4096, f[5],
                f[6], f[7], f[8], f[9], 0);
    }

    private static void refused(String field, UnaryOperator<long[]> change) {
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> ArenaGeometry.of(with(change), 0, RAW, "btt0.0 arena 0"));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.detail().startsWith("btt0.0 arena 0: arena at 0: corrupted metadata: " + field), e.detail());
    }

    @Test
    void theGeometryOfALinuxLayoutIsTheLayout() {
        assertEquals(REAL, ArenaGeometry.of(INFO, 0, RAW, "a"));
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            long raw = (16L << 20) + (random.nextLong() & ((1L << 40) - 1));
            int lbasize = SectorSizes.SUPPORTED.get(random.nextInt(7));
            for (ArenaGeometry a : BttLayout.plan(raw, lbasize).arenas()) {
                assertEquals(a, ArenaGeometry.of(a.infoBlock(BttVersion.V2_0, InfoBlockTest.BTT_UUID,
                        InfoBlock.NIL_UUID), a.start(), raw, "a"));
            }
        }
    }

    @Test
    void fieldsThatWouldSendAccessesAstrayAreRefused() {
        refused("external_lbasize", f -> { f[0] = 1000; return f; });
        refused("internal_lbasize", f -> { f[2] = 4096; return f; });
        refused("nfree", f -> { f[4] = 0; return f; });
        refused("nfree", f -> { f[4] = 257; return f; });
        refused("external_nlba", f -> { f[1] = f[3] + 1; return f; });
        refused("external_nlba", f -> { f[3] = 1L << 31; return f; });
        refused("info2off", f -> { f[9] = RAW; return f; });
        refused("info2off", f -> { f[9] = -1; return f; });
        refused("nextoff", f -> { f[5] = RAW + 4096; return f; });
        refused("nextoff", f -> { f[5] = f[9]; return f; });
        refused("logoff", f -> { f[8] = f[9] - 100; return f; });
        refused("mapoff", f -> { f[7] = f[8] - 4096; return f; });
        refused("dataoff", f -> { f[6] = f[7] - 4096; return f; });
        refused("dataoff", f -> { f[6] = 0; return f; });
        refused("mapoff", f -> { f[7] = f[7] + 2; return f; });
        NvdimmException misaligned = assertThrows(NvdimmException.class, () -> ArenaGeometry.of(
                with(f -> { f[5] = f[9] + 4096 + 4; return f; }), 0, 2 * RAW, "b"));
        assertTrue(misaligned.detail().contains("nextoff 67108868 is misaligned"), misaligned.detail());
    }

    @Test
    void partOffsetsAreFromTheBttsStart() {
        ArenaGeometry a = ArenaGeometry.layout(1L << 39, 64L << 20, 512, 0);
        assertEquals((1L << 39) + a.mapOff() + 40, a.mapEntryOffset(10));
        assertEquals((1L << 39) + 4096 + 3 * 512, a.dataBlockOffset(3));
        assertEquals((1L << 39) + a.logOff() + 64, a.logGroupOffset(1));
        assertEquals((1L << 39) + a.info2Off(), a.info2Offset());
        assertEquals(1L << 39, a.infoOffset());
    }
}
