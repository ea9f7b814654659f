package nvdimm.shell.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Sizes as ndctl's parse_size64 reads them, and what it lets through that is refused here. */
class SizesTest {

    @Test
    void cIntegersInAnyBaseWithABinarySuffix() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(4096, Sizes.parse("0x1000"));
        assertEquals(4096, Sizes.parse("010000"));
        assertEquals(0, Sizes.parse("0"));
        assertEquals(16L << 10, Sizes.parse("16k"));
        assertEquals(16L << 20, Sizes.parse("16M"));
        assertEquals(2L << 30, Sizes.parse("2g"));
        assertEquals(1L << 40, Sizes.parse("1T"));
        assertEquals(1L << 20, Sizes.parse("0x1m"));
        assertEquals(512, Sizes.parse("+512"));
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : List.of("", "12x", "16mb", "k", "0x", "-1", "1.5g", "09", "16 m", "99999999999999999999", "8388608t",
                "\uff11\uff16m", "\u0661\u0666")) { // other scripts' digits, which Character.digit takes
            assertThrows(IllegalArgumentException.class, () -> Sizes.parse(bad), bad);
        }
    }
}
