package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** {@link LogEntry} and {@link LogGroup}: 16-byte slots of four little-endian u32s, four to a 64-byte group. */
class LogCodecTest {

    @Test
    void aSlotIsFourLittleEndianU32sAndItsHalvesAreLittleEndianLongs() {
        LogEntry e = new LogEntry(1, 0x4000_0002, 3, 2);
        byte[] b = new byte[16];
        e.encode(b, 0);
        assertEquals("01000000" + "02000040" + "03000000" + "02000000", HexFormat.of().formatHex(b));
        assertEquals(e, LogEntry.decode(b, 0));
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(le.getLong(0), e.firstHalf());
        assertEquals(le.getLong(8), e.secondHalf());
        assertEquals(0xffff_ffff_ffff_ffffL, LogEntry.firstHalf(-1, -1));
        assertEquals(0x0000_0001_ffff_ffffL, LogEntry.secondHalf(-1, 1), "new_map's sign does not reach seq");
    }

    @Test
    void aGroupIsFourSlotsAndAFreshGroupSeedsSlotZero() {
        LogGroup fresh = LogGroup.fresh(5, 129736);
        assertEquals(new LogEntry(5, 129741, 129741, 1), fresh.slot(0));
        assertEquals(3, fresh.paddingSlots());
        byte[] b = fresh.toBytes();
        assertEquals(64, b.length);
        assertEquals(fresh, LogGroup.decode(b, 0));
        byte[] two = new byte[128];
        System.arraycopy(b, 0, two, 64, 64);
        assertEquals(fresh, LogGroup.decode(two, 64));
        NvdimmException e = assertThrows(NvdimmException.class, () -> LogGroup.decode(two, 65));
        assertEquals(Errno.EINVAL, e.errno());
        assertThrows(IllegalArgumentException.class, () -> new LogGroup(List.of(LogEntry.PADDING)));
        assertTrue(LogEntry.PADDING.isPadding());
        assertArrayEquals(new byte[64], new LogGroup(List.of(LogEntry.PADDING, LogEntry.PADDING, LogEntry.PADDING,
                LogEntry.PADDING)).toBytes());
    }

    @Test
    void onlyAllZeroIsPadding() {
        assertEquals(false, new LogEntry(0, 0, 0, 1).isPadding());
        assertEquals(false, new LogEntry(1, 0, 0, 0).isPadding());
        assertEquals(false, new LogEntry(0, 1, 0, 0).isPadding());
        assertEquals(false, new LogEntry(0, 0, 1, 0).isPadding());
    }
}
