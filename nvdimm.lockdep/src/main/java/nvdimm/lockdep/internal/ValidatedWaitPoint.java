package nvdimm.lockdep.internal;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.WaitPoint;

/** A wait point: waits are exclusive pseudo-acquisitions released at once; works are shared holds that cannot block. */
final class ValidatedWaitPoint implements WaitPoint, Tracked {
    private static final int WAIT = Acquire.EXCLUSIVE | Acquire.WAIT;
    private static final int WORK = Acquire.READ | Acquire.WORK | Acquire.NO_EDGE;

    private final Validator validator;
    private final LockClass lockClass;
    private final int subclass;
    private ClassRecord record;

    ValidatedWaitPoint(Validator validator, LockClass lockClass, int subclass) {
        this.validator = validator;
        this.lockClass = lockClass;
        this.subclass = subclass;
    }

    @Override
    public void beforeWait() {
        Validator v = validator;
        if (v.mode != LockdepMode.OFF) {
            checkWait(v.held());
        }
    }

    /** Validates a wait on top of {@code hs} without recording a hold. */
    void checkWait(HeldStack hs) {
        validator.beforeAcquire(hs, this, record(), subclass, WAIT);
    }

    @Override
    public <X extends Exception> void waitFor(Blocking<X> wait) throws X {
        beforeWait();
        wait.run();
    }

    @Override
    public void beginWork() {
        Validator v = validator;
        if (v.mode != LockdepMode.OFF) {
            HeldStack hs = v.held();
            hs.push(this, v.beforeAcquire(hs, this, record(), subclass, WORK));
        }
    }

    @Override
    public void endWork() {
        Validator v = validator;
        if (v.mode != LockdepMode.OFF && !v.held().pop(this, true)) {
            v.badUnlock(this, null);
        }
    }

    @Override
    public <X extends Exception> void work(Blocking<X> work) throws X {
        beginWork();
        try {
            work.run();
        } finally {
            endWork();
        }
    }

    @Override
    public Validator validator() {
        return validator;
    }

    @Override
    public LockClass lockClass() {
        return lockClass;
    }

    @Override
    public int subclass() {
        return subclass;
    }

    @Override
    public ClassRecord record() {
        ClassRecord r = record;
        if (r == null || r.released) {
            r = validator.resolve(lockClass);
            record = r;
        }
        return r;
    }

    @Override
    public boolean heldByCurrentThread() {
        return validator.held().indexOf(this) >= 0;
    }

    @Override
    public String toString() {
        return "WaitPoint[" + lockClass.name() + "]";
    }
}
