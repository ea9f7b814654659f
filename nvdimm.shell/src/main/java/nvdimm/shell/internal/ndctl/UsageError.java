package nvdimm.shell.internal.ndctl;

/** A command line an ndctl command refuses, with the message ndctl would print. */
final class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
