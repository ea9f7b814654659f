package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import org.junit.jupiter.api.Test;

/** Item 12: a DIMM an enabled region maps is active; a region over a disabled labeled DIMM stays down. */
class EnableCommandTest extends NdctlTestBase {

    @Test
    void disableDimmRefusesADimmUnderAnActiveRegion() throws Exception {
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("disable-dimm", "nmem0"));
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals("nmem0 is active, skipping...\ndisabled 0 nmem\n", stderr());
        assertTrue(bus.core.find("nmem0").orElseThrow().isEnabled(), "the DIMM stays enabled");
    }

    @Test
    void disableDimmAllSkipsTheActiveOnesAndSucceedsForTheRest() throws Exception {
        run("disable-region", "region0");
        err.reset();
        assertNull(run("disable-dimm", "all"));
        assertEquals("nmem1 is active, skipping...\ndisabled 1 nmem\n", stderr());
        assertTrue(!bus.core.find("nmem0").orElseThrow().isEnabled());
        assertTrue(bus.core.find("nmem1").orElseThrow().isEnabled());
    }

    @Test
    void enableRegionOverADisabledLabeledDimmFailsItsProbe() throws Exception {
        run("disable-region", "region0");
        run("disable-dimm", "nmem0");
        err.reset();
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("enable-region", "region0"));
        assertEquals(Errno.ENXIO, e.errno());
        assertTrue(e.getMessage().contains("region0: nmem0: is disabled, failing probe"), e.getMessage());
        assertTrue(stderr().endsWith("enabled 0 regions\n"), stderr());
        assertTrue(bus.regions.find("region0").isEmpty(), "the region stays disabled");
        run("enable-dimm", "nmem0");
        assertNull(run("enable-region", "region0"));
        assertTrue(bus.regions.find("region0").isPresent());
    }
}
