package nvdimm.app.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the process's standard input is a terminal. The interactive shell needs one: JLine on a
 * pipe or on /dev/null spins redrawing a prompt nobody sees, so without a terminal the launcher
 * reads statements from standard input as {@code -f -} does.
 */
final class StandardInput {

    private StandardInput() {
    }

    static boolean isTerminal() {
        return isTerminal(0);
    }

    /** Whether the process's file descriptor {@code fd} (0, 1 or 2) is a terminal. */
    static boolean isTerminal(int fd) {
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | UnsupportedOperationException e) {
            // no /proc: the JDK's console exists only when standard input and output are terminals
            return System.console() != null;
        }
    }

    /** Linux names of terminal devices: pseudo-terminals, virtual consoles, serial lines. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
