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
    private final NdctlCommands ndctl = new NdctlCommands(bus.core);
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
        assertNull(run("list", "-D", "-b", "ndbus7"), "nothing to show prints nothing");
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
        assertNull(run("disable-dimm", "nmem0"));
        assertEquals("disabled 1 nmem\n", stderr());
        assertTrue(((String) run("list", "-D", "-d", "nmem0")).contains("\"state\":\"disabled\""));
        err.reset();
        assertNull(run("enable-dimm", "all"));
        assertEquals("enabled 2 nmems\n", stderr());
        assertTrue(!((String) run("list", "-D")).contains("disabled"));
    }

    @Test
    void regionsWithoutADriverCannotBeEnabled() throws Exception {
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("enable-region", "region0"));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(stderr().endsWith("enabled 0 regions\n"), stderr());
        err.reset();
        assertNull(run("disable-region", "all", "-b", "test.0"));
        assertEquals("disabled 2 regions\n", stderr());
        UsageError unknown = assertThrows(UsageError.class, () -> run("disable-region", "region7"));
        assertEquals("ndctl disable-region: region7: no such region", unknown.getMessage());
    }

    @Test
    void scrubCommandsPrintTheirBuses() throws Exception {
        String started = (String) run("start-scrub", "ndbus0", "-v");
        assertTrue(started.contains("\"scrub_state\":\"idle\""), started);
        assertTrue(stderr().contains("ndbus0: scrubbing 0x200000000..0x2000fffff"), stderr());
        assertEquals(run("list", "-B"), run("wait-scrub"));
        UsageError unknown = assertThrows(UsageError.class, () -> run("wait-scrub", "ndbus9"));
        assertEquals("ndctl wait-scrub: ndbus9: no such bus", unknown.getMessage());
    }

    @Test
    void aProvidersErrnoReachesTheCallerUnchanged() throws Exception {
        run("disable-dimm", "nmem1");
        bus.failLabelSize = Errno.ENOMEM;
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("enable-dimm", "nmem1"));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(stderr().endsWith("enabled 0 nmems\n"), stderr());
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
        assertEquals("ndctl list: unexpected argument 'nmem0'", argument.getMessage());
        UsageError command = assertThrows(UsageError.class, () -> run("frobnicate"));
        assertEquals("ndctl: unknown command 'frobnicate'; ndctl:help lists them", command.getMessage());
    }

    @Test
    void helpForTheScopeAndEachCommand() throws Exception {
        String help = (String) run("help");
        assertTrue(help.contains("enable-dimm") && help.contains("list"), help);
        String usage = (String) run("list", "--help");
        assertTrue(usage.contains("Usage: ndctl:list [<options>]"), usage);
        assertTrue(usage.contains("--buses"), usage);
    }
}
