package nvdimm.shell.internal.cli;

/**
 * A command that failed the way ndctl's label commands fail: with {@code EXIT_FAILURE} (1), whatever errno
 * its first failure carried (ndctl's {@code init-labels} prints the reason and {@code initialized 0 nmem},
 * then exits 1, where its namespace commands exit with {@code -errno}). The failure stays the cause, errno
 * and all; the message is its message.
 */
public final class ExitFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** ndctl's EXIT_FAILURE. */
    public static final int EXIT_STATUS = 1;

    public ExitFailure(RuntimeException failure) {
        super(failure.getMessage(), failure);
    }

    /** The one-shot launcher's exit code for this failure. */
    public int exitStatus() {
        return EXIT_STATUS;
    }
}
