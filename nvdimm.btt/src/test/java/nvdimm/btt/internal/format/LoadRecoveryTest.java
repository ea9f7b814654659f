package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import nvdimm.bus.testing.MediumEvent;
import nvdimm.bus.testing.RecordingMedium;

/** Loading's writes: a bad free block cleared (data bytes only), then a lost map update redone, each persisted. */
class LoadRecoveryTest {

    private static final long RAW = 16L << 20;

    @Test
    void aBadFreeBlockIsClearedAndALostMapUpdateRedoneThenLoadingFindsNothingMore() {
        BttLayout layout = BttLayout.plan(RAW, 4160);
        ArenaGeometry g = layout.arenas().getFirst();
        int spare = (int) g.externalNlba() + 2;
        try (RecordingMedium medium = new RecordingMedium("ns", RAW)) {
            FreshLayout.write(medium, 0, layout, BttVersion.V2_0, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID);
            // lane 2 moved lba 9 from block 9 (known bad: E) to its spare; the map update was lost
            LogWriter.writeSlot(medium, g.logGroupOffset(2) + 16, 9, MapEntry.error(9), spare, 2);
            byte[] junk = new byte[4160];
            Arrays.fill(junk, (byte) 0x5a);
            medium.write(g.dataBlockOffset(9), junk);
            medium.sync();
            medium.clearLog();

            DiscoveredArena arena = assertInstanceOf(Discovery.Found.class,
                    ArenaDiscovery.discover(medium, 0, RAW, Optional.empty(), "b")).arenas().getFirst();
            List<LaneRecovery> lanes = FreeListRecovery.arena(medium, 0, arena);
            assertEquals(new FreeLane(2, 9, 0, 3, true), lanes.get(2).free());
            assertEquals(2, LoadRecovery.apply(medium, 0, g, lanes));

            List<MediumEvent> log = medium.log();
            assertEquals(4, log.size(), log.toString());
            MediumEvent.Store clear = (MediumEvent.Store) log.get(0);
            assertEquals(g.dataBlockOffset(9), clear.offset());
            assertEquals(4096, clear.bytes().length, "the data bytes of a sector");
            assertEquals(new MediumEvent.Persist(clear.offset(), 4096), log.get(1));
            assertEquals(new MediumEvent.Store(g.mapEntryOffset(9),
                    java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putInt(MapEntry.normal(spare)).array(), true), log.get(2));
            assertEquals(new MediumEvent.Persist(g.mapEntryOffset(9), 4), log.get(3));
            byte[] integrity = new byte[64];
            medium.read(g.dataBlockOffset(9) + 4096, integrity);
            assertTrue(Arrays.equals(Arrays.copyOfRange(junk, 4096, 4160), integrity), "integrity bytes are left");

            assertEquals(0, LoadRecovery.apply(medium, 0, g, FreeListRecovery.arena(medium, 0, arena).stream()
                    .map(l -> new LaneRecovery(l.free(), l.newer(), false, l.rollForward())).toList()),
                    "after the roll-forward no map update is left");
        }
    }
}
