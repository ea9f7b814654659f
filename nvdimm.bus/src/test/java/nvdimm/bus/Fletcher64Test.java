package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Fletcher64Test {

    /** QEMU slot 0's v1.1 interleave-set record (region offset 0, serial 0x123456): nvdimm-formats.md §3.7. */
    @Test
    void qemuSlot0CookieIsTheSpecValue() {
        byte[] record = {0, 0, 0, 0, 0, 0, 0, 0, 0x56, 0x34, 0x12, 0, 0, 0, 0, 0};
        assertEquals(0x002468AC00123456L, Fletcher64.of(record));
    }

    @Test
    void rangeAndSegmentFormsAgreeAndIgnoreTrailingBytes() {
        byte[] data = new byte[1027];
        new Random(7).nextBytes(data);
        long whole = Fletcher64.of(data, 0, 1024);
        assertEquals(whole, Fletcher64.of(data));
        assertEquals(whole, Fletcher64.of(MemorySegment.ofArray(data)));
        byte[] shifted = new byte[1030];
        System.arraycopy(data, 0, shifted, 3, 1024);
        assertEquals(whole, Fletcher64.of(shifted, 3, 1026));
    }

    @Test
    void hiKeepsOnlyItsLowHalf() {
        byte[] ff = new byte[4096];
        java.util.Arrays.fill(ff, (byte) 0xff);
        long sum = Fletcher64.of(ff);
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 1024; i++) {
            lo = (lo + 0xffff_ffffL) % (1L << 32);
            hi = (hi + lo) % (1L << 32);
        }
        assertEquals(hi << 32 | lo, sum);
    }
}
