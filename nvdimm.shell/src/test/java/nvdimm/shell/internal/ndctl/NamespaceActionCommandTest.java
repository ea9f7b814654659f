package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import org.junit.jupiter.api.Test;

/**
 * {@code destroy-namespace}, {@code enable-namespace}, {@code disable-namespace}: counts as ndctl prints
 * them, {@code all} without the seeds, and ndctl's outcome rules (the last namespace's).
 */
class NamespaceActionCommandTest extends NamespaceTestBase {

    @Test
    void disableAndEnableAllCountWhatTheyDidAndSkipTheSeeds() throws Exception {
        run("create-namespace", "-s", "16m");
        assertNull(run("disable-namespace", "all"));
        assertEquals("disabled 2 namespaces\n", stderr(), "namespace0.0 and the label-less namespace1.0");
        assertNull(run("enable-namespace", "all", "-r", "region0"));
        assertEquals("enabled 1 namespace\n", stderr());
        assertEquals(List.of("disable namespace0.0", "disable namespace1.0", "enable namespace0.0"),
                namespaces.calls.subList(1, 4), "the seed namespace0.1 is never swept");
    }

    @Test
    void destroyOfAnEnabledNamespaceNeedsForceAndAsksNothingOfTheService() throws Exception {
        run("create-namespace", "-s", "16m");
        NvdimmException busy = assertThrows(NvdimmException.class, () -> run("destroy-namespace", "namespace0.0"));
        assertEquals(Errno.EBUSY, busy.errno());
        assertEquals("destroyed 0 namespaces\n", stderr(), "the failure the command ends with is its message, once");
        assertEquals(1, namespaces.calls.size());
        assertNull(run("destroy-namespace", "-f", "namespace0.0"));
        assertEquals("destroyed 1 namespace\n", stderr());
    }

    @Test
    void allOnNothingSucceedsWithZeroAndAnUnknownNameFailsWithEnxio() throws Exception {
        assertNull(run("destroy-namespace", "all", "-r", "region0"));
        assertEquals("destroyed 0 namespaces\n", stderr(), "region0 has only its seed");
        NvdimmException none = assertThrows(NvdimmException.class, () -> run("enable-namespace", "namespace0.9"));
        assertEquals(Errno.ENXIO, none.errno());
        assertEquals("namespace0.9: no such namespace (ENXIO)", none.getMessage());
        assertEquals("enabled 0 namespaces\n", stderr());
        assertTrue(namespaces.calls.isEmpty());
    }

    @Test
    void theOutcomeIsTheLastNamespacesAsInNdctl() throws Exception {
        run("create-namespace", "-s", "16m");
        run("create-namespace", "-s", "16m");
        run("disable-namespace", "namespace0.1");
        // namespace0.0 enabled (refused), namespace0.1 disabled (destroyed), namespace1.0 enabled (refused)
        NvdimmException last = assertThrows(NvdimmException.class, () -> run("destroy-namespace", "all"));
        assertTrue(last.getMessage().startsWith("namespace1.0 is active"), last.getMessage());
        assertEquals("destroy namespace: namespace0.0 is active, specify --force for re-configuration (EBUSY)\n"
                + "destroyed 1 namespace\n", stderr(), "a failure passed over is printed");
        run("create-namespace", "-s", "16m");
        run("disable-namespace", "namespace1.0");
        assertNull(run("destroy-namespace", "all", "-r", "region1"), "label-less: destroyed (zeroed), kept");
        assertEquals("destroyed 1 namespace\n", stderr());
    }

    @Test
    void aSeedNamedIsSkippedNotCounted() throws Exception {
        assertNull(run("destroy-namespace", "-f", "namespace0.0"));
        assertEquals("destroyed 0 namespaces\n", stderr());
        assertTrue(namespaces.calls.isEmpty());
    }

    @Test
    void withoutTheNamespaceServiceTheCommandsSaySo() {
        NamespaceCommands without = new NamespaceCommands(bus.core, bus.regions);
        List<String[]> lines = List.of(new String[] {"create-namespace"}, new String[] {"destroy-namespace", "all"},
                new String[] {"enable-namespace", "all"}, new String[] {"disable-namespace", "all"});
        for (String[] argv : lines) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> without._main(null, argv));
            assertEquals(Errno.ENODEV, e.errno());
            assertTrue(e.getMessage().startsWith("the namespace service is not running"), e.getMessage());
        }
    }
}
