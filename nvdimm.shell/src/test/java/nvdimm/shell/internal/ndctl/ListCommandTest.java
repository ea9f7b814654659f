package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nvdimm.shell.internal.cli.UsageError;
import org.junit.jupiter.api.Test;

/** Item 13: what {@code ndctl list} shows, as ndctl's list.c decides it. */
class ListCommandTest extends NdctlTestBase {

    @Test
    void aFilterWithoutAClassListsItsClass() throws Exception {
        String dimms = (String) run("list", "-d", "nmem1");
        assertTrue(dimms.startsWith("[") && dimms.contains("\"dev\":\"nmem1\"") && !dimms.contains("nmem0"), dimms);
        String regions = (String) run("list", "-r", "region0");
        assertTrue(regions.contains("\"dev\":\"region0\"") && !regions.contains("\"dimms\""), regions);
        String buses = (String) run("list", "-b", "ndbus0");
        assertTrue(buses.contains("\"provider\":\"test.0\"") && !buses.contains("\"regions\""), buses);
        String inRegion = (String) run("list", "-D", "-r", "region1");
        assertTrue(inRegion.contains("nmem1") && !inRegion.contains("nmem0"), "DIMMs of the region only: " + inRegion);
    }

    @Test
    void disabledDimmsShowOnlyWithIdle() throws Exception {
        run("disable-region", "region0");
        run("disable-dimm", "nmem0");
        String listed = (String) run("list", "-D");
        assertTrue(!listed.contains("nmem0") && listed.contains("nmem1"), listed);
        String idle = (String) run("list", "-Di", "-d", "nmem0");
        assertTrue(idle.contains("\"phys_id\":0,\n    \"state\":\"disabled\""), "state right after phys_id: " + idle);
    }

    @Test
    void mappingsComeWithDimmsAndMediaErrorsWithMinusM() throws Exception {
        assertTrue(!((String) run("list", "-R")).contains("mappings"));
        assertTrue(((String) run("list", "-RD")).contains("\"mappings\":["));
        run("inject-error", "region1", "-B", "4");
        String plain = (String) run("list", "-R", "-r", "region1");
        assertTrue(plain.contains("\"badblock_count\":1") && !plain.contains("\"badblocks\""), plain);
        String media = (String) run("list", "-RM", "-r", "region1");
        assertTrue(media.replaceAll("\\s", "").contains("{\"offset\":4,\"length\":1,\"dimms\":[\"nmem1\"]}"),
                "region badblocks carry their DIMMs: " + media);
        assertTrue(media.indexOf("\"badblocks\"") < media.indexOf("\"persistence_domain\""), "ndctl's key order: " + media);
    }

    @Test
    void verbosityLevelsAsNdctlDefinesThem() throws Exception {
        assertNull(run("list", "-v"), "-v alone lists namespaces, of which there are none");
        String vv = (String) run("list", "-vv");
        assertTrue(vv.startsWith("[") && vv.contains("\"dimms\":[") && vv.contains("\"regions\":["), vv);
        assertTrue(!vv.contains("\"health\""), vv);
        run("disable-region", "region1");
        String vvv = (String) run("list", "-vvv");
        assertTrue(vvv.contains("\"health\":{") && vvv.contains("\"state\":\"disabled\""), "health and idle: " + vvv);
        assertEquals(run("list", "-v", "-v", "-v"), run("list", "-vvv"));
        assertEquals(3, ListCommand.verbosity(List.of("-v", "-Rv", "--verbose", "-b", "-v")), "-b takes the next word");
    }

    @Test
    void humanModeUnwrapsASingleObjectAndPrintsMappingsInHex() throws Exception {
        String one = (String) run("list", "-Du", "-d", "nmem1");
        assertTrue(one.startsWith("{") && one.contains("\"handle\":\"0x2\""), one);
        assertTrue(((String) run("list", "-D", "-d", "nmem1")).startsWith("["), "only human mode unwraps");
        assertTrue(((String) run("list", "-Du")).startsWith("["), "two objects stay an array");
        String mapping = (String) run("list", "-RDu", "-r", "region0", "-d", "nmem0");
        assertTrue(mapping.contains("\"offset\":\"0\",") && mapping.contains("\"length\":\"0x100000\""), mapping);
    }

    @Test
    void humanSizesAsNdctlRoundsThem() {
        assertTrue(!Human.sizeIsText(5000L * 1024 - 1));
        assertEquals("256.00 MiB (268.44 MB)", Human.size(256L << 20));
        assertEquals("4.00 GiB (4.29 GB)", Human.size(4L << 30));
        assertEquals("0x2a", Human.hex(42));
        assertEquals("0", Human.hex(0));
    }

    @Test
    void unknownFiltersAreNamed() {
        UsageError dimm = assertThrows(UsageError.class, () -> run("list", "-D", "-d", "nmem7"));
        assertEquals("ndctl list: nmem7: no such DIMM", dimm.getMessage());
        UsageError bus = assertThrows(UsageError.class, () -> run("list", "-b", "ndbus7"));
        assertEquals("ndctl list: ndbus7: no such bus", bus.getMessage());
        UsageError value = assertThrows(UsageError.class, () -> run("list", "--bus"));
        assertTrue(value.getMessage().startsWith("ndctl list: ") && value.getMessage().contains("bus"), value.getMessage());
    }
}
