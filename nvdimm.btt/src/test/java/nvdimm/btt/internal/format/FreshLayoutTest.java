package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import nvdimm.bus.testing.MediumEvent;
import nvdimm.bus.testing.RecordingMedium;

/** {@code btt_meta_init}: map zeroed, log zeroed and seeded, info2, then info; each store persisted in order. */
class FreshLayoutTest {

    private static final long MIB = 1L << 20;
    private static final long BASE = 8192;

    /** Two 16 MiB arenas (nextoff-linked as Linux links its 512 GiB ones), so the per-arena order shows. */
    static BttLayout twoArenas(int lbasize) {
        return new BttLayout(32 * MIB, lbasize, List.of(ArenaGeometry.layout(0, 16 * MIB, lbasize, 16 * MIB),
                ArenaGeometry.layout(16 * MIB, 16 * MIB, lbasize, 0)));
    }

    @Test
    void everyStoreIsPersistedBeforeTheNextInLinuxsOrderAndTheDataIsNotTouched() {
        BttLayout layout = twoArenas(520);
        try (RecordingMedium medium = new RecordingMedium("ns", BASE + 32 * MIB)) {
            FreshLayout.write(medium, BASE, layout, BttVersion.V1_1, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID);
            List<MediumEvent> log = medium.log();
            List<String> phases = new ArrayList<>();
            for (int i = 0; i < log.size(); i += 2) {
                MediumEvent.Store store = assertInstanceOf(MediumEvent.Store.class, log.get(i), "event " + i);
                assertEquals(new MediumEvent.Persist(store.offset(), store.bytes().length), log.get(i + 1),
                        "the store at " + store.offset() + " is persisted next");
                String phase = phaseOf(layout, store.offset() - BASE, store.bytes().length, store.atomic());
                if (phases.isEmpty() || !phases.getLast().equals(phase)) {
                    phases.add(phase);
                }
            }
            assertEquals(List.of("map 0", "log 0", "slots 0", "info2 0", "info 0", "map 1", "log 1", "slots 1",
                    "info2 1", "info 1"), phases);
            long slotStores = log.stream().filter(e -> e instanceof MediumEvent.Store s && s.atomic()).count();
            assertEquals(2 * 2 * 256, slotStores, "two 8-byte halves per lane per arena");
        }
    }

    /** Which part of the layout a store falls into; fails for a store anywhere else (the data area). */
    private static String phaseOf(BttLayout layout, long offset, int length, boolean atomic) {
        for (int i = 0; i < layout.arenas().size(); i++) {
            ArenaGeometry a = layout.arenas().get(i);
            long rel = offset - a.start();
            if (rel >= a.mapOff() && rel + length <= a.logOff()) {
                return "map " + i;
            }
            if (rel >= a.logOff() && rel + length <= a.info2Off()) {
                return (atomic ? "slots " : "log ") + i;
            }
            if (rel == a.info2Off() && length == 4096) {
                return "info2 " + i;
            }
            if (rel == 0 && length == 4096) {
                return "info " + i;
            }
        }
        throw new AssertionError("a store of " + length + " bytes at " + offset + " is outside the metadata");
    }

    @Test
    void theResultIsDiscoveredAsAFreshBttOfAllItsArenas() {
        BttLayout layout = twoArenas(4160);
        try (RecordingMedium medium = new RecordingMedium("ns", BASE + 32 * MIB)) {
            FreshLayout.write(medium, BASE, layout, BttVersion.V2_0, InfoBlockTest.BTT_UUID, InfoBlockTest.NS_UUID);
            Discovery.Found found = assertInstanceOf(Discovery.Found.class, ArenaDiscovery.discover(medium, BASE,
                    32 * MIB, Optional.of(InfoBlockTest.NS_UUID), "btt0.0"));
            assertEquals(2, found.arenas().size());
            assertEquals(layout.arenas(), found.arenas().stream().map(DiscoveredArena::geometry).toList());
            assertEquals(layout.externalNlba(), found.externalNlba());
            assertEquals(layout.arenas().getFirst().externalNlba(), found.arenas().get(1).externalLbaStart());
            for (DiscoveredArena arena : found.arenas()) {
                assertEquals(LogIndices.CURRENT, arena.logIndices());
                assertEquals(2, arena.info().versionMajor());
                long ext = arena.geometry().externalNlba();
                List<LaneRecovery> lanes = FreeListRecovery.arena(medium, BASE, arena);
                for (LaneRecovery lane : lanes) {
                    int l = lane.free().lane();
                    assertEquals(new FreeLane(l, ext + l, 1, 2, false), lane.free());
                    assertTrue(lane.rollForward().isEmpty());
                    assertEquals(LogGroup.fresh(l, ext), arena.logGroups().get(l));
                }
                byte[] primary = new byte[4096];
                byte[] backup = new byte[4096];
                medium.read(BASE + arena.geometry().infoOffset(), primary);
                medium.read(BASE + arena.geometry().info2Offset(), backup);
                assertEquals(java.util.HexFormat.of().formatHex(primary), java.util.HexFormat.of().formatHex(backup));
            }
        }
    }
}
