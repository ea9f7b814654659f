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

    private static final Path FD0 = Path.of("/proc/self/fd/0");

    private StandardInput() {
    }

    static boolean isTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(FD0).toString());
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
