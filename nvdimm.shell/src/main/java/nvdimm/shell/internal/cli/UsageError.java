package nvdimm.shell.internal.cli;

/** A command line an ndctl command refuses, with the message ndctl would print. */
public final class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What ndctl exits with for a command line it refuses (its usage_with_options). */
    public static final int EXIT_STATUS = 129;

    public UsageError(String message) {
        super(message);
    }

    /** The one-shot launcher's exit code for this failure, ndctl's. */
    public int exitStatus() {
        return EXIT_STATUS;
    }
}
