package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Medium;
import nvdimm.bus.testing.RecordingMedium;

/**
 * A power failure at any moment of a fresh layout on zeroed media leaves either no BTT or the whole fresh BTT,
 * because the primary info block is persisted last. Negative control: a writer that persists the info block
 * before the log is caught.
 */
class FreshLayoutCrashTest {

    private static final long RAW = 16L << 20;
    private static final BttLayout LAYOUT = BttLayout.plan(RAW, 4096);

    /** What a crash image must hold: no BTT, or a fresh BTT that loads cleanly. */
    private static void noBttOrAFreshOne(Medium image) {
        Discovery d = ArenaDiscovery.discover(image, 0, RAW, Optional.empty(), "crash");
        if (d instanceof Discovery.Found found) {
            DiscoveredArena arena = found.arenas().getFirst();
            assertEquals(LAYOUT.arenas().getFirst(), arena.geometry());
            for (LaneRecovery lane : FreeListRecovery.arena(image, 0, arena)) {
                int l = lane.free().lane();
                assertEquals(new FreeLane(l, arena.geometry().externalNlba() + l, 1, 2, false), lane.free());
            }
        }
    }

    private static long explore(Consumer<RecordingMedium> writer) {
        AtomicLong images = new AtomicLong();
        try (RecordingMedium medium = new RecordingMedium("ns", RAW)) {
            writer.accept(medium);
            medium.crashPoints(point -> point.forEachImage(64, 6, point.index(), image -> {
                images.incrementAndGet();
                noBttOrAFreshOne(image);
            }));
        }
        return images.get();
    }

    @Test
    void everyCrashImageHoldsNoBttOrTheFreshOne() {
        long images = explore(m -> FreshLayout.write(m, 0, LAYOUT, BttVersion.V2_0, InfoBlockTest.BTT_UUID,
                InfoBlock.NIL_UUID));
        assertTrue(images > 1000, images + " crash images");
    }

    @Test
    void negativeControlAnInfoBlockPersistedBeforeTheLogIsCaught() {
        AssertionError caught = assertThrows(AssertionError.class, () -> explore(m -> {
            byte[] info = LAYOUT.arenas().getFirst().infoBlock(BttVersion.V2_0, InfoBlockTest.BTT_UUID,
                    InfoBlock.NIL_UUID).toBytes();
            m.write(0, info);
            m.persist(0, info.length);
            FreshLayout.write(m, 0, LAYOUT, BttVersion.V2_0, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID);
        }));
        Throwable cause = caught.getCause() != null ? caught.getCause() : caught;
        assertTrue(cause.getMessage().contains("crash arena 0: unable to deduce log/padding indices"),
                "a valid info block over an unwritten log: " + cause.getMessage());
    }
}
