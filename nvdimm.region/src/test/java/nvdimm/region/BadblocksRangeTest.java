package nvdimm.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.region.Badblocks.Range;

import org.junit.jupiter.api.Test;

class BadblocksRangeTest {

    @Test
    void coveringRoundsTheStartDownAndTheEndUp() {
        assertEquals(new Range(0, 1), Range.covering(0, 512));
        assertEquals(new Range(0, 1), Range.covering(0, 1));
        assertEquals(new Range(0, 2), Range.covering(511, 2));
        assertEquals(new Range(1, 1), Range.covering(512, 512));
        assertEquals(new Range(1, 2), Range.covering(513, 512));
        assertEquals(new Range(2, 1), Range.covering(1535, 1));
        // the last bytes of the address space
        long last = Long.MAX_VALUE - 512;
        assertEquals(new Range(last / 512, Math.ceilDiv(Long.MAX_VALUE, 512) - last / 512), Range.covering(last, 512));
    }

    @Test
    void overlapsIsHalfOpen() {
        Range r = new Range(10, 5); // 10..14
        assertTrue(r.overlaps(14, 1));
        assertTrue(r.overlaps(0, 11));
        assertFalse(r.overlaps(15, 3));
        assertFalse(r.overlaps(0, 10));
        assertEquals(15, r.end());
        assertEquals("10 5", r.toString());
    }

    @Test
    void refusesEmptyAndNegative() {
        assertThrows(IllegalArgumentException.class, () -> new Range(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Range(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Range(Long.MAX_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> Range.covering(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> Range.covering(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Range.covering(Long.MAX_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> new Extent(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Extent(-1, 1));
        assertEquals(12, new Extent(4, 8).end());
    }
}
