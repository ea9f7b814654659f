package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** §1.4: bit 31 Z, bit 30 E; both clear is identity, both set normal (the code, not btt.rst's table). */
class MapEntryTest {

    @Test
    void theFourStates() {
        assertEquals(MapEntry.State.IDENTITY, MapEntry.state(0x0000_0005));
        assertEquals(MapEntry.State.ERROR, MapEntry.state(0x4000_0005));
        assertEquals(MapEntry.State.ZERO, MapEntry.state(0x8000_0005));
        assertEquals(MapEntry.State.NORMAL, MapEntry.state(0xc000_0005));
    }

    @Test
    void identityIgnoresTheStoredBitsTheOthersUseThem() {
        assertEquals(77, MapEntry.postMap(0x0000_0005, 77));
        assertEquals(5, MapEntry.postMap(0x4000_0005, 77));
        assertEquals(5, MapEntry.postMap(0x8000_0005, 77));
        assertEquals(0x3fff_ffff, MapEntry.postMap(0xffff_ffff, 77));
        assertEquals(129736, MapEntry.postMap(0xc001_fac8, 0), "the kernel image's lba 0");
    }

    @Test
    void encodersSetTheFlagsAndMaskTheBlock() {
        assertEquals(0xc001_fac8, MapEntry.normal(129736));
        assertEquals(0x4000_0007, MapEntry.error(7));
        assertEquals(0x8000_0007, MapEntry.zero(7));
        assertEquals(0xc000_0000, MapEntry.normal(1L << 30), "bits above 29 are not the block");
        assertEquals(0x3fff_ffff, MapEntry.block(-1));
        assertTrue(MapEntry.isNormal(0xc000_0000));
        assertFalse(MapEntry.isNormal(0x4000_0000));
        assertTrue(MapEntry.hasErrorBit(0xc000_0000));
        assertTrue(MapEntry.hasErrorBit(0x4000_0000));
        assertFalse(MapEntry.hasErrorBit(0x8000_0000));
    }
}
