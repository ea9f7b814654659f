package nvdimm.lockdep;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A wait for other work to finish (probes to go idle, a flush to complete, an async domain to drain),
 * validated as a pseudo-lock of its own class so that "hold A, wait for W" against "W's work takes A" is
 * a cycle, found even if the two never run at the same time.
 *
 * <p>The waiter is modelled as an exclusive acquisition, released at once: it is blocked by every work
 * in flight, as a writer is by readers. The work is modelled as a shared hold for its whole duration that
 * cannot block (works never wait for each other or for a waiter), so it adds no dependency of its own but
 * everything it acquires depends on it. A wait inside a work of the same wait point is reported as
 * recursive locking (it would wait for itself).
 */
@ProviderType
public interface WaitPoint {
    /** A piece of code that may block and throw. */
    @FunctionalInterface
    interface Blocking<X extends Exception> {
        void run() throws X;
    }

    LockClass lockClass();

    /** Validates a wait that this thread is about to start; call it right before blocking. */
    void beforeWait();

    /** {@link #beforeWait()}, then runs the blocking wait. */
    <X extends Exception> void waitFor(Blocking<X> wait) throws X;

    /** This thread starts work that waiters of this wait point wait for. */
    void beginWork();

    /** This thread has finished the work begun with {@link #beginWork()}. */
    void endWork();

    /** Runs {@code work} between {@link #beginWork()} and {@link #endWork()}. */
    <X extends Exception> void work(Blocking<X> work) throws X;
}
