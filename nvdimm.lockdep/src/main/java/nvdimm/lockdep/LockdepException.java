package nvdimm.lockdep;

/**
 * Thrown in {@link LockdepMode#THROW} mode by the call that the validator objects to, before that call
 * blocks: the lock is not acquired and the thread's held locks are as they were before the call. Also
 * thrown in every mode by an attempt to make a lock of a class that is not registered.
 */
public class LockdepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient LockdepReport report;

    public LockdepException(LockdepReport report) {
        super(report.toString());
        this.report = report;
    }

    /** The report that caused this exception. */
    public LockdepReport report() {
        return report;
    }
}
