package nvdimm.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.Test;

class LanePolicyTest {

    @Test
    void parsesTheConfigurationNames() {
        assertEquals(LanePolicy.STICKY, LanePolicy.parse("sticky"));
        assertEquals(LanePolicy.HASH, LanePolicy.parse("hash"));
        assertEquals(LanePolicy.ROUND_ROBIN, LanePolicy.parse(" Round-Robin "));
        assertEquals("sticky", LanePolicy.STICKY.configValue());
        assertEquals("hash", LanePolicy.HASH.configValue());
        assertEquals("round-robin", LanePolicy.ROUND_ROBIN.configValue());
    }

    @Test
    void refusesOtherNames() {
        for (String bad : new String[] {"", "ROUND_ROBIN", "cpu", null}) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> LanePolicy.parse(bad));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("must be sticky, hash or round-robin"), e.getMessage());
        }
    }
}
