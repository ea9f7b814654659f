package nvdimm.shell.internal.cli;

/** A command line an ndctl command refuses, with the message ndctl would print. */
public final class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message);
    }
}
