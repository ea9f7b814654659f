package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LogWriter;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * Writes across two arenas (512 GiB + 64 MiB, v1.1, 4096-byte sectors) on a sparse mapped file. Not a crash
 * exploration: a {@link nvdimm.bus.testing.RecordingMedium} keeps its live bytes in a memory medium of its
 * full size, so one over 512 GiB cannot be allocated. Instead: a write spanning the arena boundary, writes at
 * both ends, reload, and a write cut between its log commit and its map
 * update in the second arena, rolled forward at the next load at the second arena's offsets.
 */
class MultiArenaEngineTest {

    static final long NAMESPACE = (512L << 30) + (64L << 20);
    private static final BttVersion V = BttVersion.V1_1;
    static final long FIRST_OF_ARENA_1 = 134086520L;

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    /** What {@link Btt#format} writes, but the maps, which the sparse file holds as zeros already. */
    static void layout(Medium medium) {
        BttLayout layout = BttLayout.plan(NAMESPACE - V.initialOffset(), 4096);
        UUID uuid = UUID.nameUUIDFromBytes(new byte[] {2});
        for (ArenaGeometry a : layout.arenas()) {
            for (int lane = 0; lane < a.nfree(); lane++) {
                int spare = (int) (a.externalNlba() + lane);
                LogWriter.writeSlot(medium, V.initialOffset() + a.logGroupOffset(lane), lane, spare, spare, 1);
            }
            byte[] info = a.infoBlock(V, uuid, InfoBlock.NIL_UUID).toBytes();
            medium.write(V.initialOffset() + a.info2Offset(), info);
            medium.write(V.initialOffset() + a.infoOffset(), info);
        }
    }

    private Btt load(Medium medium, WriteOrder order) {
        return Btt.load("btt0.0", medium, V, Optional.empty(), TestLanes.pool("region0", lockdep, 4,
                LanePolicy.STICKY), lockdep, MediaErrors.NONE, order);
    }

    private static byte[] data(long lba, int v) {
        byte[] b = new byte[4096];
        new SplittableRandom(lba * 31 + v).nextBytes(b);
        return b;
    }

    private static byte[] read(Btt btt, long lba, int sectors) {
        byte[] got = new byte[4096 * sectors];
        btt.read(lba, MemorySegment.ofArray(got));
        return got;
    }

    @Test
    void writesAcrossTwoArenasSurviveAReloadAndACutMapUpdateRollsForward(@TempDir Path dir) {
        try (Medium medium = Media.mapFile(dir.resolve("ns.img"), NAMESPACE, MapOption.CREATE)) {
            layout(medium);
            Btt btt = load(medium, WriteOrder.LINUX);
            assertEquals(2, btt.arenas().size());
            assertEquals(FIRST_OF_ARENA_1 + 16104, btt.sectors());
            long lastOfArena0 = FIRST_OF_ARENA_1 - 1;
            long last = btt.sectors() - 1;
            byte[] span = new byte[2 * 4096];
            System.arraycopy(data(lastOfArena0, 1), 0, span, 0, 4096);
            System.arraycopy(data(FIRST_OF_ARENA_1, 1), 0, span, 4096, 4096);
            btt.write(lastOfArena0, MemorySegment.ofArray(span)); // one write, two arenas
            btt.write(0, MemorySegment.ofArray(data(0, 1)));
            btt.write(last, MemorySegment.ofArray(data(last, 1)));
            btt.write(FIRST_OF_ARENA_1, MemorySegment.ofArray(data(FIRST_OF_ARENA_1, 2)));

            // a write to arena 1 whose map update a crash cut off: data and log persisted, map not written
            Btt cut = load(medium, new WriteOrder() {
                @Override
                public void data(Medium m, long at, MemorySegment src, long srcOffset, long length) {
                    LINUX.data(m, at, src, srcOffset, length);
                }

                @Override
                public void log(Medium m, long slot, long firstHalf, long secondHalf) {
                    LINUX.log(m, slot, firstHalf, secondHalf);
                }

                @Override
                public void map(Medium m, long at, int entry) {
                }
            });
            cut.write(last - 1, MemorySegment.ofArray(data(last - 1, 1)));

            Btt again = load(medium, WriteOrder.LINUX);
            assertEquals(1, again.recoveryStores(), "the cut map update was rolled forward");
            assertArrayEquals(data(lastOfArena0, 1), read(again, lastOfArena0, 1));
            assertArrayEquals(data(FIRST_OF_ARENA_1, 2), read(again, FIRST_OF_ARENA_1, 1));
            assertArrayEquals(data(0, 1), read(again, 0, 1));
            assertArrayEquals(data(last, 1), read(again, last, 1));
            assertArrayEquals(data(last - 1, 1), read(again, last - 1, 1));
            assertArrayEquals(new byte[4096], read(again, FIRST_OF_ARENA_1 + 1, 1));
            // the bitmap of both arenas is checked over crash images in TwoArenaCrashTest (a whole check reads
            // 134 million map entries: seconds)
        }
    }
}
