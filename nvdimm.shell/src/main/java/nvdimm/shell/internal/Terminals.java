package nvdimm.shell.internal;

import nvdimm.shell.internal.cli.ProgressBar;
import org.apache.felix.service.command.CommandSession;
import org.jline.terminal.Terminal;
import org.apache.felix.service.command.Process;

/**
 * Whether a command talks to a person at a terminal: the session is the interactive shell's (its
 * console keeps the line reader in {@code .reader}; one-shot runs and scripts have none, and their
 * terminal is a dumb stand-in over the process's streams, which may be files or pipes) and the
 * stream is not redirected or piped (Gogo's {@link Process#isTty}).
 */
public final class Terminals {

    private Terminals() {
    }

    /**
     * Whether file descriptor {@code fd} (1 standard output, 2 standard error) of the running command
     * is the interactive shell's terminal.
     */
    public static boolean interactive(CommandSession session, int fd) {
        if (session == null || session.get(".reader") == null) {
            return false;
        }
        Process process = Process.Utils.current();
        return process != null && process.isTty(fd);
    }

    /**
     * A progress bar on the interactive shell's terminal when standard error is that terminal, else
     * {@link nvdimm.shell.internal.cli.ProgressBar#NONE}.
     */
    public static ProgressBar progressBar(CommandSession s, ProgressBar.Tail tail) {
        if (!interactive(s, 2)) {
            return ProgressBar.NONE;
        }
        int width = s.get(".terminal") instanceof Terminal t ? t.getWidth() : 80;
        return new ProgressBar(System.err, width, System::nanoTime, tail); // Gogo routes System.err to the session
    }
}
