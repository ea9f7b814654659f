package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.shell.internal.cli.UsageError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NdctlCommandsTest {

    private final TestBus bus = new TestBus("test.0");
    private final NdctlCommands ndctl = new NdctlCommands(bus.core, bus.regions);
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream savedErr = System.err;

    @AfterEach
    void close() {
        System.setErr(savedErr);
        bus.close();
    }

    private Object run(String... argv) throws Exception {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return ndctl._main(null, argv);
        } finally {
            System.setErr(savedErr);
        }
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listBusesIsAnArrayInNdctlsLayout() throws Exception {
        assertEquals("""
                [
                  {
                    "provider":"test.0",
                    "dev":"ndbus0",
                    "scrub_state":"idle"
                  }
                ]""", run("list", "-B"));
    }

    @Test
    void busesWithDimmsNestThem() throws Exception {
        assertEquals("""
                [
                  {
                    "provider":"test.0",
                    "dev":"ndbus0",
                    "scrub_state":"idle",
                    "dimms":[
                      {
                        "dev":"nmem0",
                        "id":"8680-00-0000-56341200",
                        "handle":1,
                        "phys_id":0
                      },
                      {
                        "dev":"nmem1",
                        "id":"8680-00-0000-57341200",
                        "handle":2,
                        "phys_id":1,
                        "flag_failed_arm":true
                      }
                    ]
                  }
                ]""", run("ndctl:list", "-BD"));
    }

    @Test
    void humanFormAndFilters() throws Exception {
        String json = (String) run("list", "-Du", "--dimm=nmem1");
        assertTrue(json.contains("\"handle\":\"0x2\""), json);
        assertTrue(json.contains("\"phys_id\":\"0x1\""), json);
        assertTrue(!json.contains("nmem0"), json);
        assertEquals(run("list", "-D", "-d", "1"), run("list", "-D", "-d", "8680-00-0000-57341200"));
        assertNull(run("list"), "no namespaces yet: ndctl list prints nothing");
    }

    @Test
    void healthComesWithMinusH() throws Exception {
        String json = (String) run("list", "-DH", "-d", "nmem0");
        assertTrue(json.contains("\"health\":{"), json);
        assertTrue(json.contains("\"health_state\":\"ok\""), json);
        assertTrue(json.contains("\"shutdown_state\":\"clean\""), json);
    }

    @Test
    void disableAndEnableDimmsCountOnStderr() throws Exception {
        run("disable-region", "all");
        err.reset();
        assertNull(run("disable-dimm", "nmem0"));
        assertEquals("disabled 1 nmem\n", stderr());
        assertTrue(((String) run("list", "-Di", "-d", "nmem0")).contains("\"state\":\"disabled\""));
        err.reset();
        assertNull(run("enable-dimm", "all"));
        assertEquals("enabled 2 nmems\n", stderr());
        assertTrue(!((String) run("list", "-D")).contains("disabled"));
    }

    /** region0 is QEMU slot 0's DIMM alone: its iset_id is the spec's cookie2, 0x00BA90120012B4DC. */
    @Test
    void regionsAsNdctlListsThem() throws Exception {
        assertEquals("""
                {
                  "dimms":[
                    {
                      "dev":"nmem0",
                      "id":"8680-00-0000-56341200",
                      "handle":1,
                      "phys_id":0
                    }
                  ],
                  "regions":[
                    {
                      "dev":"region0",
                      "size":1048576,
                      "align":4096,
                      "available_size":1048576,
                      "max_available_extent":1048576,
                      "type":"pmem",
                      "iset_id":52512752653219036,
                      "mappings":[
                        {
                          "dimm":"nmem0",
                          "offset":0,
                          "length":1048576,
                          "position":0
                        }
                      ],
                      "persistence_domain":"memory_controller"
                    }
                  ]
                }""", run("list", "-RD", "-d", "nmem0", "-r", "region0"));
        String human = (String) run("list", "-Ru", "--region=1");
        assertTrue(human.contains("\"size\":1048576"), "ndctl keeps sizes below 5000 KiB as numbers: " + human);
        assertTrue(human.contains("\"iset_id\":\"0xba901c0012b4dd\""), "slot 1's v1.2 cookie from the spec: " + human);
        String nested = (String) run("list", "-BDR");
        assertTrue(nested.contains("\"dimms\":[") && nested.contains("\"regions\":["), nested);
        String both = (String) run("list", "-DR");
        assertTrue(both.startsWith("{\n  \"dimms\":["), both);
    }

    @Test
    void disabledRegionsShowWithIdleOnly() throws Exception {
        assertNull(run("disable-region", "region0"));
        assertEquals("disabled 1 region\n", stderr());
        assertTrue(!((String) run("list", "-R")).contains("region0"));
        assertTrue(((String) run("list", "-Ri", "-r", "region0")).contains("\"state\":\"disabled\""));
        err.reset();
        assertNull(run("enable-region", "all", "-b", "test.0"));
        assertEquals("enabled 2 regions\n", stderr());
        UsageError unknown = assertThrows(UsageError.class, () -> run("disable-region", "region7"));
        assertEquals("ndctl disable-region: region7: no such region", unknown.getMessage());
    }

    @Test
    void poisonInjectedWithoutNotifyReachesTheBadblocksThroughAScrubAndClears() throws Exception {
        run("inject-error", "region0", "-B", "8", "-n", "2", "-N");
        assertEquals("""
                {
                  "badblocks":[
                    {
                      "block":8,
                      "count":2
                    }
                  ]
                }""", run("inject-error", "region0", "--status"));
        assertTrue(!((String) run("list", "-R", "-r", "region0")).contains("badblock"), "not before a scrub");
        String started = (String) run("start-scrub", "ndbus0");
        assertTrue(started.contains("\"dev\":\"ndbus0\""), started);
        run("wait-scrub", "ndbus0");
        String listed = (String) run("list", "-RM", "-r", "region0");
        assertTrue(listed.contains("\"badblock_count\":2"), listed);
        assertTrue(listed.contains("\"offset\":8") && listed.contains("\"length\":2"), listed);
        err.reset();
        assertNull(run("clear-errors", "region0"));
        assertEquals("cleared 1 region\n", stderr());
        assertTrue(!((String) run("list", "-R", "-r", "region0")).contains("badblock"));
        UsageError block = assertThrows(UsageError.class, () -> run("inject-error", "region0", "-B", "x"));
        assertEquals("ndctl inject-error: block 'x' is not a number", block.getMessage());
        UsageError unknown = assertThrows(UsageError.class, () -> run("wait-scrub", "ndbus9"));
        assertEquals("ndctl wait-scrub: ndbus9: no such bus", unknown.getMessage());
    }

    @Test
    void aProvidersErrnoReachesTheCallerUnchanged() throws Exception {
        run("disable-region", "region1");
        run("disable-dimm", "nmem1");
        bus.failLabelSize = Errno.ENOMEM;
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("enable-dimm", "nmem1"));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(stderr().endsWith("enabled 0 nmem\n"), stderr());
    }

    @Test
    void badCommandLinesNameTheProblem() {
        UsageError unknownDimm = assertThrows(UsageError.class, () -> run("enable-dimm", "nmem9"));
        assertEquals("ndctl enable-dimm: nmem9: no such DIMM", unknownDimm.getMessage());
        UsageError noDimm = assertThrows(UsageError.class, () -> run("disable-dimm"));
        assertEquals("ndctl disable-dimm: name at least one DIMM (nmemN, N, its id) or all", noDimm.getMessage());
        UsageError option = assertThrows(UsageError.class, () -> run("list", "-X"));
        assertEquals("ndctl list: invalid option 'X' (see ndctl:list --help)", option.getMessage());
        UsageError argument = assertThrows(UsageError.class, () -> run("list", "nmem0"));
        assertEquals("ndctl list: unknown parameter \"nmem0\"", argument.getMessage());
        UsageError command = assertThrows(UsageError.class, () -> run("frobnicate"));
        assertEquals("ndctl: unknown command 'frobnicate'; help lists the commands", command.getMessage());
    }
}
