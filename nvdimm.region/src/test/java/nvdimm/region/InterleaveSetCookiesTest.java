package nvdimm.region;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterleaveSetCookiesTest {

    /** QEMU's NFIT for a slot: vendor 0x8086, device 1, manufacturing fields 0, serial 0x123456 + slot. */
    static DimmDescriptor qemu(int slot) {
        return new DimmDescriptor(slot, slot, 0x8086, 1, 0, 0, 0, 0x123456 + slot, 1 << 20, 128 << 10, Set.of());
    }

    static DimmDescriptor dimm(int handle, int serial, int vendor, int date, int location) {
        return new DimmDescriptor(handle, handle, vendor, 1, 0, location, date, serial, 1 << 20, 0, Set.of());
    }

    /** nvdimm-formats.md §3.7, QEMU values table. */
    @ParameterizedTest
    @CsvSource({"0, 002468AC00123456, 00BA90120012B4DC", "1, 002468AE00123457, 00BA901C0012B4DD",
            "2, 002468B000123458, 00BA90260012B4DE"})
    void qemuSlotsMatchTheSpecTable(int slot, String cookie1, String cookie2) {
        InterleaveSetCookies c = InterleaveSetCookies.compute(List.of(new Mapping(slot, 0, 1 << 20, 0, 0)),
                List.of(qemu(0), qemu(1), qemu(2)));
        assertEquals(Long.parseUnsignedLong(cookie1, 16), c.cookie1(), () -> Long.toHexString(c.cookie1()));
        assertEquals(Long.parseUnsignedLong(cookie2, 16), c.cookie2(), () -> Long.toHexString(c.cookie2()));
        assertEquals(c.cookie1(), c.altCookie(), "one DIMM: the old sort order changes nothing");
        assertEquals(List.of(slot), c.labelOrder());
        assertEquals(0, c.position(slot));
    }

    @Test
    void recordsAreLaidOutLittleEndianWithZeroPadding() {
        DimmDescriptor d = dimm(7, 0x11223344, 0x8086, 0x5566, 0x77);
        assertArrayEquals(HexFormat.of().parseHex("0807060504030201" + "44332211" + "00000000"),
                InterleaveSetCookies.v11Record(0x0102030405060708L, d));
        byte[] v12 = InterleaveSetCookies.v12Record(0x0102030405060708L, d);
        assertEquals(48, v12.length);
        assertArrayEquals(HexFormat.of().parseHex("0807060504030201" + "44332211" + "8680" + "6655" + "77"
                + "00".repeat(31)), v12);
    }

    @Test
    void fletcher64SumsLittleEndianWordsAndIgnoresTrailingBytes() {
        // words 1, 2, 3: lo = 1, 3, 6; hi = 1 + 3 + 6 = 10
        byte[] b = HexFormat.of().parseHex("01000000" + "02000000" + "03000000");
        assertEquals(10L << 32 | 6, InterleaveSetCookies.fletcher64(b));
        byte[] trailing = HexFormat.of().parseHex("01000000" + "02000000" + "03000000" + "ffffff");
        assertEquals(10L << 32 | 6, InterleaveSetCookies.fletcher64(trailing));
        assertEquals(0, InterleaveSetCookies.fletcher64(new byte[3]));
    }

    @Test
    void fletcher64LoWrapsAt32BitsAndOnlyTheLowHalfOfHiSurvives() {
        // ffffffff, 2: lo = ffffffff, then (ffffffff + 2) mod 2^32 = 1; hi = ffffffff + 1 = 1_00000000
        byte[] b = HexFormat.of().parseHex("ffffffff" + "02000000");
        assertEquals(1L, InterleaveSetCookies.fletcher64(b));
        // hi keeps growing past 32 bits; (hi << 32) drops what is above
        byte[] many = new byte[4 * 70000];
        for (int i = 0; i < many.length; i += 4) {
            many[i + 3] = (byte) 0xff; // each word ff000000
        }
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 70000; i++) {
            lo = (lo + 0xff000000L) & 0xffffffffL;
            hi += lo;
        }
        assertEquals((hi & 0xffffffffL) << 32 | lo, InterleaveSetCookies.fletcher64(many));
    }

    /** Two DIMMs at region offsets 1 and 0x100: numerically 1 first; as little-endian bytes 0x100 first. */
    @Test
    void cookie1SortsOffsetsNumericallyAndAltCookieByTheirLittleEndianBytes() {
        DimmDescriptor a = dimm(1, 0xa, 0x8086, 0, 0);
        DimmDescriptor b = dimm(2, 0xb, 0x8086, 0, 0);
        List<Mapping> mappings = List.of(new Mapping(2, 0, 4096, 0, 0x100), new Mapping(1, 0, 4096, 1, 1));
        InterleaveSetCookies c = InterleaveSetCookies.compute(mappings, List.of(a, b));

        byte[] numeric = concat(InterleaveSetCookies.v11Record(1, a), InterleaveSetCookies.v11Record(0x100, b));
        byte[] bytewise = concat(InterleaveSetCookies.v11Record(0x100, b), InterleaveSetCookies.v11Record(1, a));
        byte[] v12 = concat(InterleaveSetCookies.v12Record(1, a), InterleaveSetCookies.v12Record(0x100, b));
        assertEquals(InterleaveSetCookies.fletcher64(numeric), c.cookie1());
        assertEquals(InterleaveSetCookies.fletcher64(bytewise), c.altCookie());
        assertEquals(InterleaveSetCookies.fletcher64(v12), c.cookie2());
        assertNotEquals(c.cookie1(), c.altCookie(), "the two orders differ for these offsets");
        assertEquals(List.of(1, 2), c.labelOrder(), "label positions follow the v1.2 (numeric) sort");
        assertEquals(0, c.position(1));
        assertEquals(1, c.position(2));
    }

    @Test
    void offsetsCompareUnsigned() {
        DimmDescriptor a = dimm(1, 0xa, 0x8086, 0, 0);
        DimmDescriptor b = dimm(2, 0xb, 0x8086, 0, 0);
        // 0x8000... is larger than 1 unsigned (smaller signed)
        List<Mapping> mappings = List.of(new Mapping(1, 0, 4096, 0, Long.MIN_VALUE >>> 1), new Mapping(2, 0, 4096, 1, 1));
        assertEquals(List.of(2, 1), InterleaveSetCookies.compute(mappings, List.of(a, b)).labelOrder());
    }

    @Test
    void equalOffsetsKeepTheGivenOrder() {
        DimmDescriptor a = dimm(1, 0xa, 0x8086, 0, 0);
        DimmDescriptor b = dimm(2, 0xb, 0x8086, 0, 0);
        InterleaveSetCookies ab = InterleaveSetCookies.compute(
                List.of(new Mapping(1, 0, 4096, 0, 0), new Mapping(2, 0, 4096, 1, 0)), List.of(a, b));
        InterleaveSetCookies ba = InterleaveSetCookies.compute(
                List.of(new Mapping(2, 0, 4096, 0, 0), new Mapping(1, 0, 4096, 1, 0)), List.of(a, b));
        assertEquals(List.of(1, 2), ab.labelOrder());
        assertEquals(List.of(2, 1), ba.labelOrder());
        assertNotEquals(ab.cookie1(), ba.cookie1(), "the order of the records matters to Fletcher64's hi sum");
    }

    @Test
    void identityFieldsFeedOnlyTheV12Cookie() {
        List<Mapping> m = List.of(new Mapping(1, 0, 4096, 0, 0));
        InterleaveSetCookies base = InterleaveSetCookies.compute(m, List.of(dimm(1, 5, 0x8086, 0, 0)));
        for (DimmDescriptor other : List.of(dimm(1, 5, 0x1234, 0, 0), dimm(1, 5, 0x8086, 9, 0), dimm(1, 5, 0x8086, 0, 9))) {
            InterleaveSetCookies c = InterleaveSetCookies.compute(m, List.of(other));
            assertEquals(base.cookie1(), c.cookie1());
            assertNotEquals(base.cookie2(), c.cookie2(), other::toString);
        }
        assertNotEquals(base.cookie1(), InterleaveSetCookies.compute(m, List.of(dimm(1, 6, 0x8086, 0, 0))).cookie1());
    }

    @Test
    void labelVersionPicksTheCookie() {
        InterleaveSetCookies c = new InterleaveSetCookies(1, 2, 3, List.of(0));
        assertEquals(1, c.forLabelVersion(1, 1));
        assertEquals(2, c.forLabelVersion(1, 2));
        assertEquals(2, c.forLabelVersion(2, 1));
    }

    @Test
    void refusals() {
        NvdimmException none = assertThrows(NvdimmException.class,
                () -> InterleaveSetCookies.compute(List.of(), List.of(qemu(0))));
        assertEquals(Errno.EINVAL, none.errno());
        NvdimmException unknown = assertThrows(NvdimmException.class,
                () -> InterleaveSetCookies.compute(List.of(new Mapping(9, 0, 4096, 0, 0)), List.of(qemu(0))));
        assertEquals(Errno.EINVAL, unknown.errno());
        assertTrue(unknown.getMessage().contains("0x9"), unknown.getMessage());
        InterleaveSetCookies c = InterleaveSetCookies.compute(List.of(new Mapping(0, 0, 4096, 0, 0)), List.of(qemu(0)));
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> c.position(5)).errno());
    }

    @Test
    void toStringShowsHex() {
        assertEquals("InterleaveSetCookies[cookie1=0x0000000000000001, cookie2=0x00000000000000ff,"
                + " altCookie=0x0000000000000001, labelOrder=[3]]", new InterleaveSetCookies(1, 255, 1, List.of(3)).toString());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Given order A, B, C; numeric order C (1), B (2), A (0x100); little-endian memcmp order A (00 01),
     * C (01 00), B (02 00): both sorts must reorder.
     */
    @Test
    void bothSortsReorderTheGivenMappings() {
        DimmDescriptor a = dimm(1, 0xa, 0x8086, 0, 0);
        DimmDescriptor b = dimm(2, 0xb, 0x8086, 0, 0);
        DimmDescriptor c = dimm(3, 0x30, 0x8086, 0, 0);
        InterleaveSetCookies k = InterleaveSetCookies.compute(List.of(new Mapping(1, 0, 4096, 0, 0x100),
                new Mapping(2, 0, 4096, 1, 2), new Mapping(3, 0, 4096, 2, 1)), List.of(a, b, c));
        assertEquals(List.of(3, 2, 1), k.labelOrder());
        assertEquals(InterleaveSetCookies.fletcher64(concat(concat(InterleaveSetCookies.v11Record(1, c),
                InterleaveSetCookies.v11Record(2, b)), InterleaveSetCookies.v11Record(0x100, a))), k.cookie1());
        assertEquals(InterleaveSetCookies.fletcher64(concat(concat(InterleaveSetCookies.v12Record(1, c),
                InterleaveSetCookies.v12Record(2, b)), InterleaveSetCookies.v12Record(0x100, a))), k.cookie2());
        assertEquals(InterleaveSetCookies.fletcher64(concat(concat(InterleaveSetCookies.v11Record(0x100, a),
                InterleaveSetCookies.v11Record(1, c)), InterleaveSetCookies.v11Record(2, b))), k.altCookie());
        long unsorted = InterleaveSetCookies.fletcher64(concat(concat(InterleaveSetCookies.v11Record(0x100, a),
                InterleaveSetCookies.v11Record(2, b)), InterleaveSetCookies.v11Record(1, c)));
        assertNotEquals(unsorted, k.altCookie(), "the given order would give another cookie");
        assertNotEquals(unsorted, k.cookie1());
    }
}
