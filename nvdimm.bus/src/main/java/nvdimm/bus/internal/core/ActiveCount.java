package nvdimm.bus.internal.core;

import java.util.concurrent.locks.Condition;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

/**
 * A count of things in flight (probes, commands) that can be closed to newcomers and waited on until it
 * drops to zero. Its mutex is a leaf: nothing is called while it is held.
 */
final class ActiveCount {
    private final Mutex mutex;
    private final Condition zero;
    private int active;
    private boolean closed;

    ActiveCount(Lockdep lockdep, LockClass lockClass) {
        this.mutex = lockdep.newMutex(lockClass);
        this.zero = mutex.newCondition();
    }

    /** Counts one more, unless closed. */
    boolean enter() {
        mutex.lock();
        try {
            if (closed) {
                return false;
            }
            active++;
            return true;
        } finally {
            mutex.unlock();
        }
    }

    void exit() {
        mutex.lock();
        try {
            if (active <= 0) {
                throw new IllegalStateException("active count underflow");
            }
            if (--active == 0) {
                zero.signalAll();
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Refuses newcomers from now on. */
    void close() {
        mutex.lock();
        try {
            closed = true;
        } finally {
            mutex.unlock();
        }
    }

    int active() {
        mutex.lock();
        try {
            return active;
        } finally {
            mutex.unlock();
        }
    }

    /** Waits until the count is zero; false if {@code nanos} ran out first. */
    boolean awaitZero(long nanos) throws InterruptedException {
        mutex.lock();
        try {
            long left = nanos;
            while (active > 0) {
                if (left <= 0) {
                    return false;
                }
                left = zero.awaitNanos(left);
            }
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** {@link #awaitZero} that lets no interrupt cut it short; the interrupt is kept for the caller. */
    boolean awaitZeroUninterruptibly(long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return awaitZero(deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
