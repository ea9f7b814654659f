package nvdimm.lockdep.internal;

import java.util.function.BooleanSupplier;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.ShadowLock;

/**
 * A shadow lock. It keeps its own owner and hold count, even when the validator is off, so that its
 * cross-checks against the real lock never depend on the held stack alone.
 */
final class ValidatedShadowLock implements ShadowLock, Tracked {
    private final Validator validator;
    private final LockClass lockClass;
    private final int subclass;
    /** Whether the real lock is held by the calling thread, if the creator could tell; may be null. */
    private final BooleanSupplier realHeld;
    private volatile Thread owner;
    private int holds;
    private ClassRecord record;

    ValidatedShadowLock(Validator validator, LockClass lockClass, int subclass, BooleanSupplier realHeld) {
        this.validator = validator;
        this.lockClass = lockClass;
        this.subclass = subclass;
        this.realHeld = realHeld;
    }

    @Override
    public void acquired() {
        Validator v = validator;
        Thread me = Thread.currentThread();
        Thread previous = owner;
        if (v.mode != LockdepMode.OFF) {
            if (previous != null && previous != me) {
                v.shadowMismatch(this, "thread \"" + me.getName() + "\" took the real lock of " + node()
                        + " while the shadow is still held by thread \"" + previous.getName()
                        + "\": a path released the real lock without releasing() the shadow");
            }
            if (realHeld != null && !realHeld.getAsBoolean()) {
                v.shadowMismatch(this, "acquired() was called for " + node() + " but the real lock is not held");
            }
            int kind = previous == me
                    ? Acquire.EXCLUSIVE | Acquire.SHADOW | Acquire.REENTRANT | Acquire.NO_EDGE
                    : Acquire.EXCLUSIVE | Acquire.SHADOW;
            HeldStack hs = v.held();
            ChainRecord chain = v.beforeAcquire(hs, this, record(), subclass, kind);
            hs.push(this, chain);
        }
        if (previous == me) {
            holds++;
        } else {
            owner = me;
            holds = 1;
        }
    }

    @Override
    public void releasing() {
        Validator v = validator;
        Thread me = Thread.currentThread();
        if (owner != me) {
            if (v.mode != LockdepMode.OFF) {
                Thread other = owner;
                v.shadowMismatch(this, "releasing() was called for " + node() + " by thread \"" + me.getName()
                        + "\", which does not hold the shadow"
                        + (other == null ? "" : " (thread \"" + other.getName() + "\" does)"));
            }
            return;
        }
        if (v.mode != LockdepMode.OFF) {
            if (realHeld != null && !realHeld.getAsBoolean()) {
                v.shadowMismatch(this, "releasing() was called for " + node()
                        + " after the real lock was already released");
            }
            v.held().pop(this, false);
        }
        if (--holds == 0) {
            owner = null;
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** For reports: whether the real lock is known to be released while the shadow is held. */
    boolean realKnownReleased() {
        return realHeld != null && !realHeld.getAsBoolean();
    }

    private String node() {
        return subclass == 0 ? lockClass.name() : lockClass.name() + "/" + subclass;
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
        return isHeldByCurrentThread();
    }

    @Override
    public String toString() {
        return "ShadowLock[" + node() + "]";
    }
}
