package nvdimm.emul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.Test;

/** The emulator's own values: label sizes and command names. */
class EmulValuesTest {

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
