package nvdimm.shell.internal.cli;

/**
 * A command that did its work and printed its output, but whose outcome the one-shot launcher must report with
 * an exit status other than 0 (a check that repaired or found damage, fsck-style). The message says the outcome
 * and goes to stderr.
 */
public final class ExitStatus extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ExitStatus(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The one-shot launcher's exit code. */
    public int exitStatus() {
        return status;
    }
}
