package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SectorSizesTest {

    @Test
    void theSevenSizesOfBttLbasizeSupportedInNdctlsOrder() {
        assertEquals(List.of(512, 520, 528, 4096, 4104, 4160, 4224), SectorSizes.SUPPORTED);
        for (int size = -1; size <= 8192; size++) {
            assertEquals(SectorSizes.SUPPORTED.contains(size), SectorSizes.isSupported(size), "size " + size);
        }
        assertFalse(SectorSizes.isSupported(512L + (1L << 32)));
        assertTrue(SectorSizes.isSupported(4224L));
    }
}
