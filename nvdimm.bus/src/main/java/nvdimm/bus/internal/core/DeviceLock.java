package nvdimm.bus.internal.core;

import java.util.ArrayList;
import java.util.List;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * A device lock: a validated mutex of {@link LockClasses#DEVICE_LOCK} at the device's level, which also
 * keeps, per thread, which device locks the thread holds, so the core can tell in every validator mode
 * (OFF tracks nothing) whether it may wait or call into the framework, and name what is held.
 */
final class DeviceLock {
    /** The device locks this thread holds, in acquisition order. */
    private static final ThreadLocal<List<DeviceLock>> HELD = ThreadLocal.withInitial(ArrayList::new);

    private final Mutex mutex;
    private final String device;

    DeviceLock(Lockdep lockdep, int level, String device) {
        this.mutex = lockdep.newMutex(LockClasses.DEVICE_LOCK, level);
        this.device = device;
    }

    void lock() {
        mutex.lock(); // the validator may throw before acquiring: then nothing is recorded
        HELD.get().add(this);
    }

    void unlock() {
        if (mutex.isHeldByCurrentThread()) {
            HELD.get().remove(this);
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
        return HELD.get().size();
    }

    /** The devices whose locks the calling thread holds, e.g. {@code "namespace0.0, region0"}. */
    static String heldDevices() {
        StringBuilder b = new StringBuilder();
        for (DeviceLock l : HELD.get()) {
            b.append(b.isEmpty() ? "" : ", ").append(l.device);
        }
        return b.toString();
    }
}
