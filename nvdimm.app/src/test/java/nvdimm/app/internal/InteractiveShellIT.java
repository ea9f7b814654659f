package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell on a real pseudo-terminal: what a person typing sees. */
class InteractiveShellIT {

    private static final String PROMPT = "nvdimm> ";

    @TempDir
    Path tmp;

    @Test
    void errorsShowTheirMessageWithoutJavaClassNames() throws Exception {
        try (PseudoTerminal tty = PseudoTerminal.launch(tmp.resolve("data"))) {
            int at = tty.await(PROMPT, 0);
            tty.type("nosuch\r");
            at = tty.await("Command not found: nosuch\n", at);
            tty.type("list -Q\r");
            at = tty.await("ndctl list: invalid option 'Q'", at);
            at = tty.await(PROMPT, at);
            tty.type("quit\r");
            assertEquals(0, tty.exitCode(), tty.text());
            assertFalse(tty.text().contains("Exception"), tty.text());
            assertFalse(tty.text().contains("nvdimm.shell.internal"), tty.text());
        }
    }

    @Test
    void ctrlCEndsACommandReadingTheTerminalAndTheShellGoesOn() throws Exception {
        // A build started in the background of a non-interactive shell ignores SIGINT, and so does every process
        // it starts: the JVM then cannot take Ctrl-C at all (HotSpot keeps a signal ignored at start ignored).
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
                "SIGINT is ignored by this process and its children (started in the background)");
        try (PseudoTerminal tty = PseudoTerminal.launch(tmp.resolve("data"))) {
            int at = tty.await(PROMPT, 0);
            tty.type("cat\r");
            tty.type("typed\r");
            at = tty.await("typed\ntyped\n", at); // the echo, then cat's copy
            tty.type("\u0003");
            at = tty.await(PROMPT, at);
            tty.type("grep foo\r");
            tty.type("no\rfood\r");
            at = tty.await("food\n", at); // the echo; Gogo's grep prints what matched at end of input
            tty.type("\u0003");
            at = tty.await("food\n", at);
            at = tty.await(PROMPT, at);
            tty.type("echo still here\r");
            at = tty.await("still here\n", at);
            tty.type("exit 4\r");
            assertEquals(4, tty.exitCode(), "exit N ends the shell with N: " + tty.text());
            assertFalse(tty.text().contains("Exception"), tty.text());
        }
    }

    @Test
    void redirectedResultsGoToTheFileAndCtrlDLeavesWithExitCodeZero() throws Exception {
        try (PseudoTerminal tty = PseudoTerminal.launch(tmp.resolve("data"))) {
            int at = tty.await(PROMPT, 0);
            Path json = tmp.resolve("buses.json");
            tty.type("list -B > " + json + "\r");
            tty.await(PROMPT, at + 1);
            tty.type("\u0004");
            assertEquals(0, tty.exitCode(), tty.text());
            assertTrue(Files.readString(json).contains("\"provider\":\"emul.default\""),
                    "the result goes where stdout is redirected: " + tty.text());
        }
    }

    /** Whether this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask); false where unknown. */
    static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
