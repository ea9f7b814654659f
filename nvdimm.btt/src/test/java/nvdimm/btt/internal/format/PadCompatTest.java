package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.namespace.ClaimClass;

/**
 * ndctl's {@code test/btt-pad-compat.xxd} rebuilt from the field values the formats spec (§1.13) decoded from
 * it: a 64 MiB namespace, BTT v2.0 at 0, 4096-byte sectors, the old (0,2) log layout with lane 6 used once.
 */
class PadCompatTest {

    private static final long SIZE = 64L << 20;
    private static final UUID UUID_ = UUID.fromString("f0d64d51-7ad4-44e2-8757-6b8e8e4f7500");

    private static Medium image() {
        Medium medium = Media.memory("btt-pad-compat", SIZE);
        ArenaGeometry g = BttLayout.plan(SIZE, 4096).arenas().getFirst();
        byte[] info = g.infoBlock(BttVersion.V2_0, UUID_, InfoBlock.NIL_UUID).toBytes();
        medium.write(0, info);
        medium.write(g.info2Off(), info);
        for (int lane = 0; lane < 256; lane++) {
            LogWriter.writeSlot(medium, g.logGroupOffset(lane), lane, 16105 + lane, 16105 + lane, 1);
        }
        LogWriter.writeSlot(medium, g.logGroupOffset(6) + 32, 0, 0, 16111, 2);
        medium.writeInt(g.mapEntryOffset(0), 0xC0003EEF);
        return medium;
    }

    @Test
    void theInfoBlockCarriesNdctlsChecksum() {
        InfoBlock info = BttLayout.plan(SIZE, 4096).arenas().getFirst().infoBlock(BttVersion.V2_0, UUID_,
                InfoBlock.NIL_UUID);
        assertEquals(0x29d8a903ca55b75dL, info.checksum());
        assertEquals(0x3ee9, info.externalNlba());
        assertEquals(0x3fe9, info.internalNlba());
        assertEquals(0x3feb000, info.mapOff());
        assertEquals(0x3ffb000, info.logOff());
        assertEquals(0x3fff000, info.info2Off());
    }

    @Test
    void itLoadsWithLogIndicesZeroTwoAndLaneSixsFreeBlockIsTheOldMapOfItsWrite() {
        try (Medium medium = image()) {
            assertTrue(BttProbe.probe(medium, 0, SIZE, ClaimClass.BTT2, Optional.empty()).isPresent());
            Discovery.Found found = assertInstanceOf(Discovery.Found.class,
                    ArenaDiscovery.discover(medium, 0, SIZE, Optional.empty(), "btt-pad-compat"));
            DiscoveredArena arena = found.arenas().getFirst();
            assertEquals(LogIndices.OLD, arena.logIndices());
            List<LaneRecovery> lanes = FreeListRecovery.arena(medium, 0, arena);
            assertEquals(new FreeLane(6, 0, 0, 3, false), lanes.get(6).free(), "the write moved lba 0 off block 0");
            assertTrue(lanes.get(6).rollForward().isEmpty(), "map[0] already names block 16111");
            assertEquals(new FreeLane(5, 16110, 1, 2, false), lanes.get(5).free());
            assertEquals(16111, MapEntry.postMap(medium.readInt(arena.geometry().mapEntryOffset(0)), 0));
        }
    }

    @Test
    void aWriteCutBeforeItsMapUpdateIsRolledForwardInTheOldLayoutToo() {
        try (Medium medium = image()) {
            medium.writeInt(BttLayout.plan(SIZE, 4096).arenas().getFirst().mapEntryOffset(0), 0);
            DiscoveredArena arena = ((Discovery.Found) ArenaDiscovery.discover(medium, 0, SIZE, Optional.empty(),
                    "btt-pad-compat")).arenas().getFirst();
            assertEquals(Optional.of(new LaneRecovery.MapUpdate(0, 0xC0003EEF)),
                    FreeListRecovery.arena(medium, 0, arena).get(6).rollForward());
        }
    }
}
