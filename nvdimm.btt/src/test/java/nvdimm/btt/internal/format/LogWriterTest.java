package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import nvdimm.bus.testing.MediumEvent;
import nvdimm.bus.testing.RecordingMedium;

/** {@code __btt_log_write}: two atomic 8-byte halves, each persisted, the seq half last. */
class LogWriterTest {

    @Test
    void bytesZeroToSevenThenEightToFifteenEachPersisted() {
        try (RecordingMedium medium = new RecordingMedium("log", 4096)) {
            LogWriter.writeSlot(medium, 1024 + 16, 5, 0x4000_0009, 11, 3);
            List<MediumEvent> log = medium.log();
            assertEquals(4, log.size(), log.toString());
            MediumEvent.Store first = (MediumEvent.Store) log.get(0);
            assertEquals(1040, first.offset());
            assertEquals(true, first.atomic());
            assertEquals("0500000009000040", java.util.HexFormat.of().formatHex(first.bytes()));
            assertEquals(new MediumEvent.Persist(1040, 8), log.get(1));
            MediumEvent.Store second = (MediumEvent.Store) log.get(2);
            assertEquals(1048, second.offset());
            assertEquals(true, second.atomic());
            assertEquals("0b00000003000000", java.util.HexFormat.of().formatHex(second.bytes()));
            assertEquals(new MediumEvent.Persist(1048, 8), log.get(3));
            byte[] slot = new byte[16];
            medium.read(1040, slot);
            assertEquals(new LogEntry(5, 0x4000_0009, 11, 3), LogEntry.decode(slot, 0));
        }
    }

    @Test
    void slotOffsetsFollowTheDetectedIndices() {
        ArenaGeometry g = BttLayout.plan(64L << 20, 4096).arenas().getFirst();
        long group = 4096 + g.logOff() + 3 * 64;
        assertEquals(group, LogWriter.slotOffset(4096, g, LogIndices.CURRENT, 3, 0));
        assertEquals(group + 16, LogWriter.slotOffset(4096, g, LogIndices.CURRENT, 3, 1));
        assertEquals(group + 32, LogWriter.slotOffset(4096, g, LogIndices.OLD, 3, 1));
    }
}
