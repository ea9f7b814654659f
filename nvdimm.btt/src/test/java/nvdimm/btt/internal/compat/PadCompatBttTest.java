package nvdimm.btt.internal.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LogEntry;
import nvdimm.btt.internal.format.LogGroup;
import nvdimm.btt.internal.format.LogIndices;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * ndctl's {@code btt-pad-compat} case through the engine, its image rebuilt from the field values the formats
 * spec (§1.13) decoded from {@code test/btt-pad-compat.xxd}: a 64 MiB null-uuid namespace, BTT v2.0 at 0,
 * 4096-byte sectors, lane i slot 0 = {i, 16105+i, 16105+i, 1}, lane 6 slot 2 = {0, 0, 16111, 2} (the old
 * layout), map[0] = 0xC0003EEF. The engine loads it with log indices (0,2), writes in slots 0 and 2 only,
 * and a reload still detects (0,2).
 */
class PadCompatBttTest {

    private static final long SIZE = 64L << 20;
    private static final long MAP_OFF = 0x3feb000;
    private static final long LOG_OFF = 0x3ffb000;
    private static final long INFO2_OFF = 0x3fff000;

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    private static Medium image() {
        InfoBlock info = new InfoBlock(UUID.fromString("f0d64d51-7ad4-44e2-8757-6b8e8e4f7500"), InfoBlock.NIL_UUID,
                0, 2, 0, 4096, 0x3ee9, 4096, 0x3fe9, 256, 4096, 0, 0x1000, MAP_OFF, LOG_OFF, INFO2_OFF, 0).sealed();
        assertEquals(0x29d8a903ca55b75dL, info.checksum(), "ndctl's image carries this checksum");
        Medium m = Media.memory("btt-pad-compat", SIZE);
        m.write(0, info.toBytes());
        m.write(INFO2_OFF, info.toBytes());
        for (int lane = 0; lane < 256; lane++) {
            slot(m, lane, 0, new LogEntry(lane, 16105 + lane, 16105 + lane, 1));
        }
        slot(m, 6, 2, new LogEntry(0, 0, 16111, 2));
        m.writeInt(MAP_OFF, 0xC0003EEF);
        return m;
    }

    private static void slot(Medium m, int lane, int slot, LogEntry e) {
        byte[] b = new byte[LogEntry.SIZE];
        e.encode(b, 0);
        m.write(LOG_OFF + lane * 64L + slot * 16L, b);
    }

    private static LogGroup group(Medium m, int lane) {
        return LogGroup.read(m, LOG_OFF + lane * 64L);
    }

    private Btt load(Medium m, int lanes) {
        return Btt.load("btt0.0", m, BttVersion.V2_0, Optional.empty(),
                TestLanes.pool("region0", lockdep, lanes, LanePolicy.HASH), lockdep, MediaErrors.NONE);
    }

    @Test
    void itLoadsWithZeroTwoWritesInSlotsZeroAndTwoAndReloadsWithZeroTwo() {
        try (Medium m = image()) {
            Btt btt = load(m, 1);
            assertEquals(LogIndices.OLD, btt.arenas().getFirst().logIndices());
            assertEquals(0x3ee9, btt.sectors());
            assertEquals(List.of(), btt.consistencyProblems());
            LogGroup lane0Before = group(m, 0);
            LogGroup lane6Before = group(m, 6);

            // one lane: three writes go to lane 0's slot 2, then 0, then 2 again
            Map<Long, byte[]> written = new LinkedHashMap<>();
            long[] lbas = {0, 1, 0x3ee8};
            for (int i = 0; i < lbas.length; i++) {
                byte[] data = KbttPattern.sector(40 + i, lbas[i], 4096);
                btt.write(lbas[i], MemorySegment.ofArray(data));
                written.put(lbas[i], data);
                LogGroup g = group(m, 0);
                int expectSlot = i % 2 == 0 ? 2 : 0;
                assertEquals((int) lbas[i], g.slot(expectSlot).lba(), "write " + i + " logged in slot " + expectSlot);
            }
            LogGroup lane0 = group(m, 0);
            assertNotEquals(lane0Before.slot(0), lane0.slot(0));
            assertNotEquals(lane0Before.slot(2), lane0.slot(2));
            assertEquals(1, lane0.slot(2).seq(), "seq 2, 3, then back to 1");
            assertEquals(3, lane0.slot(0).seq());
            assertEquals(lane6Before, group(m, 6));
            for (int lane = 0; lane < 256; lane++) {
                LogGroup g = group(m, lane);
                assertTrue(g.slot(1).isPadding() && g.slot(3).isPadding(), "lane " + lane + ": slots 1 and 3 stay zero");
            }
            assertEquals(List.of(), btt.consistencyProblems());
            btt.close();

            Btt again = load(m, 4);
            assertEquals(LogIndices.OLD, again.arenas().getFirst().logIndices());
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                byte[] got = new byte[4096];
                again.read(e.getKey(), MemorySegment.ofArray(got));
                assertArrayEquals(e.getValue(), got, "LBA " + e.getKey());
            }
            assertEquals(List.of(), again.consistencyProblems());
        }
    }
}
