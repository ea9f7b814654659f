package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;

import nvdimm.btt.testing.FuzzMedium;
import nvdimm.bus.NvdimmException;

/**
 * Jazzer fuzz test of the flog and map readers of loading, on one Linux-laid-out arena (64 MiB, 512-byte
 * sectors, 256 lanes): {@link ArenaDiscovery#readLog}, {@link LogIndices#detect}, {@link FreeListRecovery#arena}
 * (which reads the map entries the log names) and {@link LoadRecovery#apply} (the only writes loading makes).
 * A failure is any exception but a clean {@link NvdimmException}, an access outside the medium, or a store of
 * loading outside the arena's data blocks and map.
 *
 * <p>Input: the log (256 groups of 64 bytes, zero-padded), then map entries from LBA 0 on. Seeds
 * ({@code FlogFuzzTestInputs/flog/}): the first arena's log of Linux-made images
 * ({@code cnf/fuzz/make-btt-seeds.py}). Without {@code JAZZER_FUZZ=1} only the seeds run; with it
 * ({@code cnf/fuzz/run-fuzz.sh}) 10⁶ executions or 10 minutes.
 */
class FlogFuzzTest {

    static final ArenaGeometry GEOMETRY = ArenaGeometry.layout(0, 64L << 20, 512, 0);
    static final int LOG_BYTES = GEOMETRY.nfree() * LogGroup.SIZE;
    static final int MAX_MAP_BYTES = 1 << 16;

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void flog(byte[] input) {
        FuzzMedium m = new FuzzMedium("btt0.0", GEOMETRY.size());
        m.write(GEOMETRY.logGroupOffset(0), Arrays.copyOf(input, LOG_BYTES));
        if (input.length > LOG_BYTES) {
            m.write(GEOMETRY.mapEntryOffset(0), input, LOG_BYTES, Math.min(input.length - LOG_BYTES, MAX_MAP_BYTES));
        }
        try {
            List<LogGroup> groups = ArenaDiscovery.readLog(m, 0, GEOMETRY);
            LogIndices indices = LogIndices.detect(groups, "btt0.0 arena 0");
            InfoBlock info = GEOMETRY.infoBlock(BttVersion.V1_1, new UUID(1, 2), InfoBlock.NIL_UUID);
            DiscoveredArena arena = new DiscoveredArena("btt0.0 arena 0", info, GEOMETRY, 0, groups, indices);
            List<LaneRecovery> lanes = FreeListRecovery.arena(m, 0, arena);
            m.recordWrites();
            LoadRecovery.apply(m, 0, GEOMETRY, lanes);
        } catch (NvdimmException e) {
            FuzzMedium.assertClean(e);
        }
        m.assertNoViolations();
        for (long[] w : m.writes()) {
            assertTrue(within(w, GEOMETRY.dataBlockOffset(0), GEOMETRY.dataBlockOffset(GEOMETRY.internalNlba()))
                    || within(w, GEOMETRY.mapEntryOffset(0), GEOMETRY.mapEntryOffset(GEOMETRY.externalNlba())),
                    "loading stored " + w[1] + " bytes at " + w[0] + ", outside the arena's data blocks and map "
                            + GEOMETRY);
        }
    }

    static boolean within(long[] write, long from, long to) {
        return write[0] >= from && write[0] + write[1] <= to;
    }
}
