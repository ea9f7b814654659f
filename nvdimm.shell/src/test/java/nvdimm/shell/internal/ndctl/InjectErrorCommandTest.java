package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.shell.internal.cli.UsageError;
import org.junit.jupiter.api.Test;

/** Item 14: inject-error notifies and waits for a scrub; its refusals and its silence. */
class InjectErrorCommandTest extends NdctlTestBase {

    @Test
    void anInjectionScrubsSoTheBadblocksShowAtOnce() throws Exception {
        String printed = (String) run("inject-error", "region0", "-B", "8", "-n", "2");
        assertTrue(printed.contains("\"badblock_count\":2") && printed.contains("\"offset\":8"), printed);
        String listed = (String) run("list", "-R", "-r", "region0");
        assertTrue(listed.contains("\"badblock_count\":2"), "no scrub command needed: " + listed);
    }

    @Test
    void noNotifyLeavesTheBadblocksToTheNextScrub() throws Exception {
        String printed = (String) run("inject-error", "region0", "-B", "8", "-N");
        assertTrue(!printed.contains("badblock"), printed);
    }

    @Test
    void statusWithUninjectOrABlockIsRefused() {
        UsageError both = assertThrows(UsageError.class, () -> run("inject-error", "region0", "-t", "-d"));
        assertEquals("ndctl inject-error: status is invalid with inject or uninject", both.getMessage());
        assertThrows(UsageError.class, () -> run("inject-error", "region0", "-t", "-B", "1"));
    }

    @Test
    void statusWithNothingInjectedPrintsNothing() throws Exception {
        assertNull(run("inject-error", "region0", "-t"));
        run("inject-error", "region0", "-B", "3", "-N");
        assertTrue(((String) run("inject-error", "region0", "-tu")).contains("\"block\":\"0x3\""));
    }

    @Test
    void uninjectingNothingSaysSo() throws Exception {
        assertNull(run("inject-error", "region0", "-B", "8", "-d"));
        assertEquals("region0: no injected errors in blocks 8..8, nothing to uninject\n", stderr());
        run("inject-error", "region0", "-B", "8");
        String printed = (String) run("inject-error", "region0", "-B", "8", "-d");
        assertTrue(!printed.contains("badblock"), "uninjected poison leaves the badblocks: " + printed);
        assertNull(run("inject-error", "region0", "-t"));
    }

    @Test
    void blocksBeyondTheRegionAreNamed() {
        UsageError e = assertThrows(UsageError.class, () -> run("inject-error", "region0", "-B", "2048"));
        assertEquals("ndctl inject-error: region0: blocks 2048..2048 are beyond its 2048 blocks", e.getMessage());
    }
}
