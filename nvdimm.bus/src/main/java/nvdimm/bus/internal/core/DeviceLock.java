package nvdimm.bus.internal.core;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * A device lock: a validated mutex of {@link LockClasses#DEVICE_LOCK} at the device's level, which also
 * counts, per thread, how many device locks the thread holds, so the core can tell (in every validator
 * mode) whether it may wait or call into the framework.
 */
final class DeviceLock {
    private static final ThreadLocal<int[]> HELD = ThreadLocal.withInitial(() -> new int[1]);

    private final Mutex mutex;

    DeviceLock(Lockdep lockdep, int level) {
        this.mutex = lockdep.newMutex(LockClasses.DEVICE_LOCK, level);
    }

    void lock() {
        mutex.lock(); // the validator may throw before acquiring: then nothing is counted
        HELD.get()[0]++;
    }

    void unlock() {
        if (mutex.isHeldByCurrentThread()) {
            HELD.get()[0]--;
        }
        mutex.unlock();
    }

    boolean isHeldByCurrentThread() {
        return mutex.isHeldByCurrentThread();
    }

    Mutex mutex() {
        return mutex;
    }

    /** How many device locks (of any core) the calling thread holds. */
    static int heldByCurrentThread() {
        return HELD.get()[0];
    }
}
