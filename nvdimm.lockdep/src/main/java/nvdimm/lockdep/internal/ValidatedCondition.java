package nvdimm.lockdep.internal;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import nvdimm.lockdep.LockdepMode;

/**
 * A condition of a validated lock. An await sleeps, gives up every hold of the lock and takes it again:
 * the held stack drops the lock's entries, the re-acquisition is validated (before waiting, so THROW mode
 * throws with the lock still held and the stack intact) against whatever else the thread holds, and the
 * lock returns on top of the stack.
 */
final class ValidatedCondition implements Condition {
    private final Tracked owner;
    private final Condition real;
    private final ValidatedWaitPoint waitPoint;

    ValidatedCondition(Tracked owner, Condition real, ValidatedWaitPoint waitPoint) {
        this.owner = owner;
        this.real = real;
        this.waitPoint = waitPoint;
    }

    private Validator.Suspension suspend() {
        Validator v = owner.validator();
        return v.mode == LockdepMode.OFF ? null : v.suspend(owner, waitPoint);
    }

    private static void resume(Validator.Suspension s) {
        if (s != null) {
            s.resume();
        }
    }

    @Override
    public void await() throws InterruptedException {
        Validator.Suspension s = suspend();
        try {
            real.await();
        } finally {
            resume(s);
        }
    }

    @Override
    public void awaitUninterruptibly() {
        Validator.Suspension s = suspend();
        try {
            real.awaitUninterruptibly();
        } finally {
            resume(s);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        Validator.Suspension s = suspend();
        try {
            return real.awaitNanos(nanosTimeout);
        } finally {
            resume(s);
        }
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Validator.Suspension s = suspend();
        try {
            return real.await(time, unit);
        } finally {
            resume(s);
        }
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Validator.Suspension s = suspend();
        try {
            return real.awaitUntil(deadline);
        } finally {
            resume(s);
        }
    }

    @Override
    public void signal() {
        real.signal();
    }

    @Override
    public void signalAll() {
        real.signalAll();
    }
}
