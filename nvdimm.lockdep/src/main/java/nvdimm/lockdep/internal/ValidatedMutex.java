package nvdimm.lockdep.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.Mutex;
import nvdimm.lockdep.WaitPoint;

/**
 * A {@link ReentrantLock} validated before it blocks. It extends the real lock rather than wrapping it:
 * one object less on the hot path, and the owner thread is at hand for bad-unlock reports.
 */
final class ValidatedMutex extends ReentrantLock implements Mutex, Tracked {
    private static final long serialVersionUID = 1L;
    private static final int REENTRY = Acquire.EXCLUSIVE | Acquire.REENTRANT | Acquire.NO_EDGE;

    private final transient Validator validator;
    private final transient LockClass lockClass;
    private final int subclass;
    /** Resolved lazily and again after a release; ClassRecord's final fields make the racy cache safe. */
    private transient ClassRecord record;
    /** The owner's held stack, written and read only while holding this lock, to save a ThreadLocal lookup. */
    private transient HeldStack holder;
    /** The last chain that validated a {@link #lock()} of this mutex, on any thread; never a flagged one. */
    private transient ChainRecord lastChain;

    ValidatedMutex(Validator validator, LockClass lockClass, int subclass) {
        this.validator = validator;
        this.lockClass = lockClass;
        this.subclass = subclass;
    }

    @Override
    public void lock() {
        Validator v = validator;
        int gate = v.gate;
        if (gate < 0) {
            super.lock();
            return;
        }
        HeldStack hs = stack(v, gate);
        int kind = isHeldByCurrentThread() ? REENTRY : Acquire.EXCLUSIVE;
        // The chain this lock was last validated by, if it is this sequence again: the cache lookup
        // without hashing and probing. A released record needs no check here: its chains were purged
        // (no longer live), so this misses, the lookup misses, and the slow path resolves the class
        // again; a flagged chain is never kept, so it goes to the lookup, which refuses it in THROW mode.
        ChainRecord chain = lastChain;
        if (chain == null || chain.prev != hs.topKey() || chain.kind != kind || !chain.live) {
            ClassRecord r = record;
            chain = v.beforeAcquire(hs, this, r != null ? r : record(), subclass, kind);
            if (!chain.flagged) {
                lastChain = chain;
            }
        }
        super.lock();
        hs.push(this, chain);
        if (holder != hs) {
            holder = hs;
        }
    }

    /**
     * This thread's held stack: usually the one this lock saw last (a lock tends to stay with one
     * thread), which saves the ThreadLocal lookup. A stale or foreign value is harmless: its owner thread
     * and epoch are checked.
     */
    private HeldStack stack(Validator v, int gate) {
        HeldStack hs = holder;
        if (hs != null && hs.thread == Thread.currentThread() && hs.epoch == gate) {
            return hs;
        }
        return v.held();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        Validator v = validator;
        if (v.mode == LockdepMode.OFF) {
            super.lockInterruptibly();
            return;
        }
        HeldStack hs = v.held();
        ChainRecord chain = v.beforeAcquire(hs, this, record(), subclass,
                isHeldByCurrentThread() ? REENTRY : Acquire.EXCLUSIVE);
        super.lockInterruptibly();
        hs.push(this, chain);
        holder = hs;
    }

    @Override
    public boolean tryLock() {
        Validator v = validator;
        if (v.mode == LockdepMode.OFF) {
            return super.tryLock();
        }
        int kind = (isHeldByCurrentThread() ? REENTRY : Acquire.EXCLUSIVE | Acquire.NO_EDGE) | Acquire.TRYLOCK;
        if (!super.tryLock()) {
            return false;
        }
        HeldStack hs = v.held();
        ChainRecord chain;
        try {
            chain = v.beforeAcquire(hs, this, record(), subclass, kind);
        } catch (RuntimeException e) {
            super.unlock();
            throw e;
        }
        hs.push(this, chain);
        holder = hs;
        return true;
    }

    /** A timed wait can block, so unlike {@link #tryLock()} it is validated (and adds dependencies). */
    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        Validator v = validator;
        if (v.mode == LockdepMode.OFF) {
            return super.tryLock(timeout, unit);
        }
        HeldStack hs = v.held();
        ChainRecord chain = v.beforeAcquire(hs, this, record(), subclass,
                isHeldByCurrentThread() ? REENTRY : Acquire.EXCLUSIVE);
        if (!super.tryLock(timeout, unit)) {
            return false;
        }
        hs.push(this, chain);
        holder = hs;
        return true;
    }

    @Override
    public void unlock() {
        Validator v = validator;
        int gate = v.gate;
        if (gate >= 0) {
            // The common case in one test: this lock on top of the stack of the thread that took it last,
            // which is this thread. An entry is pushed only once the lock is held and popped when it is
            // released, so the lock is held; anything else takes the full check.
            HeldStack hs = holder;
            if (hs == null || hs.thread != Thread.currentThread() || hs.epoch != gate || !hs.popTop(this)) {
                unlockChecked(v, gate);
            }
        }
        super.unlock();
    }

    private void unlockChecked(Validator v, int gate) {
        if (!isHeldByCurrentThread()) {
            v.badUnlock(this, getOwner());
        } else {
            stack(v, gate).popExclusive(this);
        }
    }

    @Override
    public Condition newCondition() {
        return new ValidatedCondition(this, super.newCondition(), null);
    }

    @Override
    public Condition newCondition(WaitPoint waitPoint) {
        return new ValidatedCondition(this, super.newCondition(), validator.own(waitPoint));
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
        return "Mutex[" + lockClass.name() + (subclass == 0 ? "" : "/" + subclass) + "]";
    }
}
