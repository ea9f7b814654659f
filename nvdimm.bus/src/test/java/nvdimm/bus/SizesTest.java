package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void parsesPlainBytesAndBinarySuffixes() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(0, Sizes.parse("0"));
        assertEquals(131072, Sizes.parse("128K"));
        assertEquals(131072, Sizes.parse("128k"));
        assertEquals(131072, Sizes.parse("128KiB"));
        assertEquals(268435456, Sizes.parse(" 256M "));
        assertEquals(268435456, Sizes.parse("256MB"));
        assertEquals(3L << 30, Sizes.parse("3G"));
        assertEquals(2L << 40, Sizes.parse("2T"));
        assertEquals(5, Sizes.parse("5B"));
    }

    @Test
    void refusesWhatIsNotASize() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("M")).getMessage().contains("not a size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1")).getMessage().contains("not a size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("12Q")).getMessage().contains("unit 'Q'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("1.5M")).getMessage().contains("unit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999999999999"))
                .getMessage().contains("too large"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sizes.parse("8388608T")).getMessage()
                .contains("too large"));
        assertEquals(8388607L << 40, Sizes.parse("8388607T"));
    }

    @Test
    void formatsTheShortestExactForm() {
        assertEquals("256M", Sizes.format(268435456));
        assertEquals("128K", Sizes.format(131072));
        assertEquals("4097", Sizes.format(4097));
        assertEquals("0", Sizes.format(0));
        assertEquals("1536K", Sizes.format(1536 * 1024));
        assertEquals("1024T", Sizes.format(1L << 50));
    }
}
