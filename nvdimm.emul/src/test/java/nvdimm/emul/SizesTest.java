package nvdimm.emul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

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

    @Test
    void labelSizeParsesAutoNoneAndSizes() {
        assertSame(LabelSize.AUTO, LabelSize.parse("auto"));
        assertSame(LabelSize.AUTO, LabelSize.parse(" AUTO "));
        assertSame(LabelSize.NONE, LabelSize.parse("0"));
        assertEquals(LabelSize.ofBytes(131072), LabelSize.parse("128K"));
        assertEquals(131072, LabelSize.parse("131072").bytes());
        assertTrue(LabelSize.AUTO.isAuto());
        assertFalse(LabelSize.NONE.isAuto());
        assertEquals("auto", LabelSize.AUTO.toString());
        assertEquals("131072", LabelSize.ofBytes(131072).toString());
        assertEquals(LabelSize.ofBytes(131072).hashCode(), LabelSize.parse("128K").hashCode());
        org.junit.jupiter.api.Assertions.assertNotEquals(LabelSize.ofBytes(131072).hashCode(),
                LabelSize.ofBytes(262144).hashCode());
        assertFalse(LabelSize.AUTO.equals(LabelSize.NONE));
        assertThrows(IllegalStateException.class, LabelSize.AUTO::bytes);
    }

    @Test
    void labelSizeRefusesNonsenseWithEinval() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> LabelSize.parse("big"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("'big'"), e.getMessage());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> LabelSize.parse(null)).errno());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> LabelSize.ofBytes(-1)).errno());
    }

    @Test
    void commandsParseByConstantOrLinuxName() {
        assertSame(EmulCommand.READ_LABEL_AREA, EmulCommand.parse("get_config_data"));
        assertSame(EmulCommand.READ_LABEL_AREA, EmulCommand.parse("read_label_area"));
        assertSame(EmulCommand.START_SCRUB, EmulCommand.parse("ars-start"));
        assertSame(EmulCommand.HEALTH, EmulCommand.parse(" SMART "));
        assertEquals("get_config_size", EmulCommand.LABEL_AREA_INFO.toString());
        for (EmulCommand c : EmulCommand.values()) {
            assertSame(c, EmulCommand.parse(c.linuxName()));
            assertSame(c, EmulCommand.parse(c.name()));
        }
        NvdimmException e = assertThrows(NvdimmException.class, () -> EmulCommand.parse("format"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("get_config_size, get_config_data"), e.getMessage());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> EmulCommand.parse(null)).errno());
    }
}
