package nvdimm.btt.internal.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * Random single-byte and single-word corruptions of the info blocks, the map and the log: the checker never
 * throws (it reports), and a repair never turns a sector that read before it into one that does not read, or
 * reads otherwise.
 */
class BttCheckFuzzTest {
    /** Rounds per case; raise with -Dnvdimm.fuzz.rounds for a long run. */
    static final int ROUNDS = Integer.getInteger("nvdimm.fuzz.rounds", 50);

    @ParameterizedTest
    @CsvSource({"V1_1, 512, 1", "V2_0, 4096, 2", "V1_1, 520, 3"})
    void corruptionsGiveFindingsAndRepairsNeverLoseAReadableSector(BttVersion version, int lbasize, long seed) {
        CheckFixture f = new CheckFixture(version, lbasize);
        ArenaGeometry g = BttLayout.plan(f.medium.size() - f.bttStart(), lbasize).arenas().getFirst();
        byte[] clean = f.bytes();
        Random rnd = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            f.medium.write(0, clean);
            String what = corrupt(f, g, rnd);
            Map<Long, byte[]> readable = readable(f, f.bytes());
            CheckReport dry;
            try {
                dry = f.check(CheckOptions.CHECK);
                assertNotNull(dry.verdict());
                f.check(CheckOptions.REPAIR);
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ", " + what + ": the checker threw", e);
            }
            Map<Long, byte[]> after = readable(f, f.bytes());
            for (Map.Entry<Long, byte[]> e : readable.entrySet()) {
                byte[] now = after.get(e.getKey());
                assertNotNull(now, "round " + round + ", " + what + ": LBA " + e.getKey()
                        + " read before the repair and not after; report " + dry);
                assertArrayEquals(e.getValue(), now, "round " + round + ", " + what + ": LBA " + e.getKey());
            }
        }
    }

    /** One corruption: a byte or an aligned word of an info block, the map or the log. */
    static String corrupt(CheckFixture f, ArenaGeometry g, Random rnd) {
        long base = f.bttStart();
        long start;
        long length;
        String part;
        switch (rnd.nextInt(4)) {
            case 0 -> { start = base + g.infoOffset(); length = 128; part = "info"; }
            case 1 -> { start = base + g.info2Offset(); length = 128; part = "info2"; }
            case 2 -> { start = base + g.mapEntryOffset(0); length = 2048 * 4; part = "map"; }
            default -> { start = base + g.logGroupOffset(0); length = 16 * 64; part = "log"; }
        }
        if (rnd.nextBoolean()) {
            long at = start + rnd.nextLong(length);
            byte b = (byte) (1 + rnd.nextInt(255));
            f.medium.write(at, new byte[] {(byte) (f.medium.readInt(at & ~3L) >>> (8 * (at & 3)) ^ b)});
            return part + " byte at " + at;
        }
        long at = start + rnd.nextLong(length / 8) * 8;
        long v = rnd.nextLong();
        f.medium.writeLong(at, v);
        return part + " word at " + at + " = " + Long.toHexString(v);
    }

    /** The written sectors that read from a copy of the bytes (loading writes its recovery, so not the original). */
    static Map<Long, byte[]> readable(CheckFixture f, byte[] bytes) {
        Map<Long, byte[]> out = new HashMap<>();
        try (Medium copy = Media.memory("copy", bytes.length)) {
            copy.write(0, bytes);
            Btt btt;
            try {
                btt = Btt.load("btt0.0", copy, f.version, Optional.empty(),
                        TestLanes.pool("region0", f.lockdep, 4, LanePolicy.HASH), f.lockdep, MediaErrors.NONE);
            } catch (NvdimmException e) {
                return out;
            }
            for (long lba : f.written) {
                byte[] got = new byte[f.lbasize];
                try {
                    btt.read(lba, MemorySegment.ofArray(got));
                    out.put(lba, got);
                } catch (NvdimmException e) {
                    // unreadable before: nothing to keep
                }
            }
        }
        return out;
    }
}
