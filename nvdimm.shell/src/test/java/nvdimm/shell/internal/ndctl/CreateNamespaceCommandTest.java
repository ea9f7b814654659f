package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceMode;
import org.junit.jupiter.api.Test;

/** {@code create-namespace}: what it asks of the service, what it prints where, and reconfiguration. */
class CreateNamespaceCommandTest extends NamespaceTestBase {

    @Test
    void createsRawByDefaultPrintsItsJsonAndCountsOnStderr() throws Exception {
        String printed = (String) run("create-namespace", "-s", "16M", "-n", "hello", "-u",
                "234bf1c4-9e28-4160-b6eb-cadab5749999");
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "mode":"raw",
                  "size":16777216,
                  "uuid":"234bf1c4-9e28-4160-b6eb-cadab5749999",
                  "sector_size":512,
                  "blockdev":"pmem0",
                  "name":"hello"
                }""", printed);
        assertEquals("created 1 namespace\n", stderr());
        String call = namespaces.calls.get(0);
        assertTrue(call.contains("region=Optional[region0]") && call.contains("size=OptionalLong[16777216]")
                && call.contains("mode=RAW") && call.contains("name=Optional[hello]"), call);
    }

    @Test
    void sizesTakeNdctlsSuffixesAndBases() throws Exception {
        run("create-namespace", "-s", "0x100000");
        run("create-namespace", "-s", "2m");
        run("create-namespace", "-s", "010000"); // octal, as strtoull reads it
        assertEquals(List.of(1L << 20, 2L << 20, 4096L), List.of(size(0), size(1), size(2)));
    }

    private long size(int call) {
        String c = namespaces.calls.get(call);
        int at = c.indexOf("size=OptionalLong[") + "size=OptionalLong[".length();
        return Long.parseLong(c.substring(at, c.indexOf(']', at)));
    }

    @Test
    void withoutSizeTheLargestFreeExtentAndSectorModeGetsTheServicesDefaultSectorSize() throws Exception {
        String printed = (String) run("create-namespace", "-m", "sector");
        assertTrue(printed.contains("\"mode\":\"sector\"") && printed.contains("\"size\":67108864")
                && printed.contains("\"sector_size\":4096") && printed.contains("\"blockdev\":\"pmem0s\""), printed);
        assertTrue(namespaces.calls.get(0).contains("size=OptionalLong.empty"), namespaces.calls.toString());
    }

    @Test
    void continueCreatesUntilNoRegionHasRoomAndCountsThem() throws Exception {
        String printed = (String) run("create-namespace", "-c", "-s", "16m");
        assertEquals(1, namespaces.mutations.size(), "region1 is label-less: " + namespaces.mutations);
        assertEquals("created 1 namespace\n", stderr());
        assertTrue(printed.startsWith("{"));
        run("create-namespace", "-s", "16m");
        run("create-namespace", "-s", "16m");
        String last = (String) run("create-namespace", "-c");
        assertTrue(last.contains("\"size\":16777216") && last.contains("namespace0.3"), last);
        NvdimmException full = assertThrows(NvdimmException.class, () -> run("create-namespace", "-c"));
        assertEquals(Errno.ENOSPC, full.errno());
        assertEquals("failed to create namespace: region0: the largest free extent is 0 bytes; "
                + "region1: label-less, its namespace namespace1.0 spans the region (reconfigure that with -e, or give the DIMMs labels with init-labels) (ENOSPC)", full.getMessage());
        assertEquals("created 0 namespaces\n", stderr());
    }

    @Test
    void reconfigureKeepsTheModeUnlessGivenAndNeedsForceWhileEnabled() throws Exception {
        run("create-namespace", "-s", "32m", "-n", "keep");
        NvdimmException busy = assertThrows(NvdimmException.class,
                () -> run("create-namespace", "-e", "namespace0.0", "-m", "sector"));
        assertEquals(Errno.EBUSY, busy.errno());
        assertEquals("namespace0.0 is active, specify --force for re-configuration (EBUSY)", busy.getMessage());
        assertEquals(1, namespaces.calls.size(), "refused before the service: " + namespaces.calls);
        String done = (String) run("create-namespace", "-f", "-e", "namespace0.0", "-m", "sector");
        assertTrue(done.contains("\"mode\":\"sector\"") && done.contains("\"name\":\"keep\""), done);
        run("create-namespace", "-f", "-e", "namespace0.0", "-l", "4096");
        assertTrue(namespaces.calls.get(2).contains("mode=SECTOR"), "kept: " + namespaces.calls.get(2));
        assertEquals(NamespaceMode.SECTOR, namespaces.info("namespace0.0").orElseThrow().mode());
        assertEquals(OptionalInt.of(4096), namespaces.info("namespace0.0").orElseThrow().sectorSize());
    }

    @Test
    void theServiceRefusesFsdaxNamingTheSupportedModes() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("create-namespace", "-m", "fsdax"));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        assertTrue(e.getMessage().contains("raw and sector"), e.getMessage());
        assertTrue(namespaces.mutations.isEmpty());
    }

    @Test
    void aUuidGivenIsPassedAsIs() throws Exception {
        UUID uuid = UUID.fromString("a71f3a08-ef3a-46a3-9212-755c841f2125");
        run("create-namespace", "-u", uuid.toString().toUpperCase());
        assertEquals(List.of(uuid), namespaces.list().stream().flatMap(n -> n.uuid().stream()).toList());
    }
}
