package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;

import nvdimm.btt.testing.FuzzMedium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.UuidBytes;
import nvdimm.namespace.ClaimClass;

/**
 * Jazzer fuzz test of the BTT info block readers: {@link ArenaValidity}, {@link InfoBlock#decode},
 * {@link BttVersion#matches}, {@link ArenaGeometry#of} (the offsets and sizes an info block claims, against the
 * space left) and {@link BttProbe#probe} on a medium holding the block. A failure is any exception but a clean
 * {@link NvdimmException}, an access outside the medium, or an accepted geometry whose parts leave the arena,
 * the space or each other's place.
 *
 * <p>Input: 4096 bytes of block (zero-padded), then optionally two little-endian longs, the bytes left from the
 * arena's start and the arena's start. Each input runs as it is and resealed (its checksum made right), so
 * mutations reach the geometry checks. Seeds ({@code InfoBlockFuzzTestInputs/infoBlock/}): the first info
 * block of Linux-made images ({@code cnf/fuzz/make-btt-seeds.py}). Without {@code JAZZER_FUZZ=1} only the seeds
 * run; with it ({@code cnf/fuzz/run-fuzz.sh}) 10⁶ executions or 10 minutes.
 */
class InfoBlockFuzzTest {

    static final long DEFAULT_RAW_SIZE = 64L << 20;

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void infoBlock(byte[] input) {
        byte[] block = Arrays.copyOf(input, InfoBlock.SIZE);
        ByteBuffer rest = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        long rawSize = DEFAULT_RAW_SIZE;
        long start = 0;
        if (input.length >= InfoBlock.SIZE + 8) {
            rawSize = Long.remainderUnsigned(rest.getLong(InfoBlock.SIZE), 1L << 42);
        }
        if (input.length >= InfoBlock.SIZE + 16) {
            start = Long.remainderUnsigned(rest.getLong(InfoBlock.SIZE + 8), rawSize + 1);
        }
        one(block, rawSize, start);
        one(resealed(block), rawSize, start);
    }

    private static void one(byte[] block, long rawSize, long start) {
        UUID parent = UuidBytes.uuid(block, InfoBlock.PARENT_UUID_OFFSET);
        ArenaValidity validity = ArenaValidity.of(block, Optional.of(parent));
        ArenaValidity.of(block, Optional.empty());
        InfoBlock info = InfoBlock.decode(block);
        for (BttVersion v : BttVersion.values()) {
            v.matches(info);
        }
        try {
            ArenaGeometry g = ArenaGeometry.of(info, start, rawSize, "btt0.0");
            fits(g, rawSize);
        } catch (NvdimmException e) {
            FuzzMedium.assertClean(e);
        }
        if (validity == ArenaValidity.VALID) {
            FuzzMedium m = new FuzzMedium("namespace0.0", 2L * InfoBlock.SIZE + BttProbe.MIN_NAMESPACE);
            m.write(0, block);
            m.write(InfoBlock.SIZE, block);
            for (ClaimClass c : ClaimClass.values()) {
                try {
                    BttProbe.probe(m, 0, m.size(), c, Optional.of(parent));
                } catch (NvdimmException e) {
                    FuzzMedium.assertClean(e);
                }
            }
            m.assertNoViolations();
        }
    }

    /** {@code block} with the checksum its bytes need. */
    static byte[] resealed(byte[] block) {
        byte[] out = block.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(InfoBlock.CHECKSUM_OFFSET, BttChecksum.of(out));
        return out;
    }

    /** An accepted geometry: each part inside the arena, in Linux's order, the arena inside the space. */
    static void fits(ArenaGeometry g, long rawSize) {
        String what = g.toString();
        assertTrue(g.start() >= 0 && g.size() > 0 && g.start() + g.size() <= rawSize, "arena outside the space: " + what);
        assertTrue(g.dataOff() >= InfoBlock.SIZE, "data over the info block: " + what);
        assertTrue(g.dataOff() + g.internalNlba() * g.internalLbaSize() <= g.mapOff(), "data into the map: " + what);
        assertTrue(g.mapOff() + g.externalNlba() * ArenaGeometry.MAP_ENTRY_SIZE <= g.logOff(), "map into the log: " + what);
        assertTrue(g.logOff() + (long) g.nfree() * ArenaGeometry.LOG_GROUP_SIZE <= g.info2Off(), "log into info2: " + what);
        assertTrue(g.info2Off() + InfoBlock.SIZE <= g.size(), "info2 outside the arena: " + what);
        assertTrue(g.nfree() >= 1 && g.externalNlba() <= g.internalNlba() && g.externalLbaSize() <= g.internalLbaSize(),
                "counts: " + what);
        assertTrue(SectorSizes.isSupported(g.externalLbaSize()), "sector size: " + what);
    }
}
