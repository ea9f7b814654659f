package nvdimm.lockdep;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The validator's mirror of a lock it cannot replace (a monitor or lock inside the framework or a
 * third-party library), like the 2019 {@code dev->lockdep_mutex}. Call {@link #acquired()} right after
 * the real lock is taken and {@link #releasing()} right before it is released; the shadow then takes part
 * in the dependency graph. Because the real lock is already held when {@code acquired()} runs, THROW mode
 * throws with the real lock held (a {@code synchronized} block or the framework releases it as the
 * exception unwinds).
 *
 * <p>Mismatches are reported: {@code acquired()} while another thread still holds the shadow,
 * {@code releasing()} of a shadow this thread does not hold, a shadow still held at {@link
 * Lockdep#assertNoneHeld()} (the real lock was released on a path that forgot the shadow), and, when the
 * shadow was made with a probe of the real lock, either call while the real lock is not held.
 */
@ProviderType
public interface ShadowLock {
    LockClass lockClass();

    int subclass();

    /** The real lock has just been acquired by this thread. */
    void acquired();

    /** The real lock is about to be released by this thread. */
    void releasing();

    boolean isHeldByCurrentThread();
}
