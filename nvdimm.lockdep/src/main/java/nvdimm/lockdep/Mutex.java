package nvdimm.lockdep;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A validated mutual-exclusion lock (a {@link java.util.concurrent.locks.ReentrantLock} underneath).
 * {@link #lock()}, {@link #lockInterruptibly()} and the timed {@link #tryLock(long,
 * java.util.concurrent.TimeUnit) tryLock} are validated before they block. {@link #tryLock()} cannot
 * block, so it adds no dependency of its own, but the lock counts as held for later acquisitions. Taking
 * the lock again while holding it is reported unless its class is {@link LockClass.Flag#RECURSIVE}.
 */
@ProviderType
public interface Mutex extends Lock {
    LockClass lockClass();

    int subclass();

    boolean isHeldByCurrentThread();

    /**
     * A condition whose waits are validated: an await sleeps (reported under an atomic lock), releases
     * this mutex from the thread's held locks, and re-acquires it as a new acquisition on top of whatever
     * else the thread holds.
     */
    @Override
    Condition newCondition();

    /**
     * As {@link #newCondition()}, and each await also waits on {@code waitPoint}: wrap the code that
     * signals this condition in {@link WaitPoint#work} so that "hold A, await; the signaller takes A" is
     * found.
     */
    Condition newCondition(WaitPoint waitPoint);
}
