package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import org.junit.jupiter.api.Test;

/**
 * {@code inject-error} and {@code clear-errors} aimed at a namespace, as ndctl's are: blocks count from
 * the namespace's start and reach the region through its region offset; list -N shows them.
 */
class NamespaceErrorsTest extends NamespaceTestBase {

    private static final long SECOND_AT = (16L << 20) / Badblocks.SECTOR_SIZE; // namespace0.1 starts at 16 MiB

    private Region region0() {
        return bus.regions.find("region0").orElseThrow();
    }

    @Test
    void blocksOfANamespaceLandAtItsRegionOffset() throws Exception {
        run("create-namespace", "-s", "16m");
        run("create-namespace", "-s", "16m");
        String printed = (String) run("inject-error", "namespace0.1", "-B", "8", "-n", "2");
        assertTrue(printed.startsWith("{\n  \"dev\":\"namespace0.1\"") && printed.contains("\"badblock_count\":2")
                && printed.contains("\"offset\":8,\n      \"length\":2"), printed);
        assertEquals(List.of(new Badblocks.Range(SECOND_AT + 8, 2)), region0().badblocks().ranges());
        String other = (String) run("list", "-N", "-n", "namespace0.0");
        assertTrue(!other.contains("badblock"), "the neighbour is clean: " + other);
        String status = (String) run("inject-error", "namespace0.1", "-t");
        assertTrue(status.contains("\"block\":8,\n      \"count\":2"), "status in the namespace's blocks: " + status);
        assertNull(run("inject-error", "namespace0.0", "-t"), "none injected into the neighbour");
    }

    @Test
    void clearErrorsClearsTheNamespacesOwnBadBlocksOnly() throws Exception {
        run("create-namespace", "-s", "16m");
        run("create-namespace", "-s", "16m");
        run("inject-error", "namespace0.0", "-B", "1");
        run("inject-error", "namespace0.1", "-B", "3");
        String printed = (String) run("clear-errors", "namespace0.1");
        assertEquals("cleared 1 namespace\n", stderr());
        assertTrue(printed.contains("\"dev\":\"namespace0.1\"") && !printed.contains("badblock"), printed);
        assertEquals(List.of(new Badblocks.Range(1, 1)), region0().badblocks().ranges(), "namespace0.0's stays");
    }

    @Test
    void uninjectInTheNamespacesBlocks() throws Exception {
        run("create-namespace", "-s", "16m");
        run("create-namespace", "-s", "16m");
        run("inject-error", "namespace0.1", "-B", "5");
        assertNull(run("inject-error", "namespace0.0", "-B", "5", "-d"));
        assertEquals("namespace0.0: no injected errors in blocks 5..5, nothing to uninject\n", stderr());
        run("inject-error", "namespace0.1", "-B", "5", "-d");
        assertEquals(List.of(), region0().injectedErrors());
    }

    @Test
    void theRegionFormStays() throws Exception {
        String printed = (String) run("inject-error", "region0", "-B", "8");
        assertTrue(printed.contains("\"dev\":\"region0\"") && printed.contains("\"badblock_count\":1"), printed);
        run("clear-errors", "region0");
        assertEquals("cleared 1 region\n", stderr());
    }
}
