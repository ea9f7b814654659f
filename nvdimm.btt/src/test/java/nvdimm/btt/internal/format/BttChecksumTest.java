package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BttChecksumTest {

    @Test
    void fletcher64OfLittleEndianWordsWithTheChecksumFieldAsZeroLeavingTheBlockAlone() {
        byte[] b = new byte[InfoBlock.SIZE];
        b[0] = 1;
        b[4] = 2;
        // lo: 1, 3, then 3 for the other 1022 words; hi: 1 + 3 + 1022 * 3
        long expected = (4L + 1022 * 3) << 32 | 3;
        assertEquals(expected, BttChecksum.of(b));
        b[InfoBlock.CHECKSUM_OFFSET] = 9;
        b[InfoBlock.SIZE - 1] = 9;
        byte[] copy = b.clone();
        assertEquals(expected, BttChecksum.of(b), "the stored checksum is not summed");
        assertArrayEquals(copy, b);
    }
}
