package nvdimm.lockdep.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.RwLock;

/**
 * A validated read/write lock. Both sides are recorded in the held stack under this instance; the entry's
 * kind tells a read hold from a write hold.
 */
final class ValidatedRwLock implements RwLock, Tracked {
    private final Validator validator;
    private final LockClass lockClass;
    private final int subclass;
    private final RwSync sync;
    private final int readMode;
    private final ReadSide read = new ReadSide();
    private final WriteSide write = new WriteSide();
    private ClassRecord record;

    ValidatedRwLock(Validator validator, LockClass lockClass, int subclass, RwSync sync) {
        this.validator = validator;
        this.lockClass = lockClass;
        this.subclass = subclass;
        this.sync = sync;
        this.readMode = lockClass.has(LockClass.Flag.RECURSIVE_READ) ? Acquire.RECURSIVE_READ : Acquire.READ;
    }

    @Override
    public Lock readLock() {
        return read;
    }

    @Override
    public Lock writeLock() {
        return write;
    }

    @Override
    public boolean isWriteLockedByCurrentThread() {
        return sync.writeHeldByMe();
    }

    @Override
    public boolean isReadLockedByCurrentThread() {
        return sync.readHeldByMe();
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
        return sync.readHeldByMe() || sync.writeHeldByMe();
    }

    @Override
    public String toString() {
        return "RwLock[" + lockClass.name() + (subclass == 0 ? "" : "/" + subclass) + "]";
    }

    /** Re-reading a lock this thread reads or writes never blocks, whatever the queue holds. */
    private int readKind() {
        return sync.readHeldByMe() || sync.writeHeldByMe()
                ? readMode | Acquire.REENTRANT | Acquire.NO_EDGE
                : readMode;
    }

    private int writeKind() {
        if (sync.writeHeldByMe()) {
            return Acquire.EXCLUSIVE | Acquire.REENTRANT | Acquire.NO_EDGE;
        }
        return sync.readHeldByMe() ? Acquire.EXCLUSIVE | Acquire.UPGRADE : Acquire.EXCLUSIVE;
    }

    /** One side of the lock; the two differ only in the real lock, the kind, and how ownership is asked. */
    private abstract class Side implements Lock, Tracked {
        abstract Lock real();

        abstract int kind();

        abstract boolean shared();

        @Override
        public void lock() {
            Validator v = validator;
            if (v.mode == LockdepMode.OFF) {
                real().lock();
                return;
            }
            HeldStack hs = v.held();
            ChainRecord chain = v.beforeAcquire(hs, ValidatedRwLock.this, record(), subclass, kind());
            real().lock();
            hs.push(ValidatedRwLock.this, chain);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            Validator v = validator;
            if (v.mode == LockdepMode.OFF) {
                real().lockInterruptibly();
                return;
            }
            HeldStack hs = v.held();
            ChainRecord chain = v.beforeAcquire(hs, ValidatedRwLock.this, record(), subclass, kind());
            real().lockInterruptibly();
            hs.push(ValidatedRwLock.this, chain);
        }

        @Override
        public boolean tryLock() {
            Validator v = validator;
            if (v.mode == LockdepMode.OFF) {
                return real().tryLock();
            }
            int kind = kind() & ~Acquire.UPGRADE | Acquire.TRYLOCK | Acquire.NO_EDGE;
            if (!real().tryLock()) {
                return false;
            }
            HeldStack hs = v.held();
            ChainRecord chain;
            try {
                chain = v.beforeAcquire(hs, ValidatedRwLock.this, record(), subclass, kind);
            } catch (RuntimeException e) {
                real().unlock();
                throw e;
            }
            hs.push(ValidatedRwLock.this, chain);
            return true;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            Validator v = validator;
            if (v.mode == LockdepMode.OFF) {
                return real().tryLock(time, unit);
            }
            HeldStack hs = v.held();
            ChainRecord chain = v.beforeAcquire(hs, ValidatedRwLock.this, record(), subclass, kind());
            if (!real().tryLock(time, unit)) {
                return false;
            }
            hs.push(ValidatedRwLock.this, chain);
            return true;
        }

        @Override
        public void unlock() {
            Validator v = validator;
            if (v.mode != LockdepMode.OFF) {
                if (!heldByCurrentThread()) {
                    v.badUnlock(this, sync.writer());
                } else {
                    v.held().pop(ValidatedRwLock.this, shared());
                }
            }
            real().unlock();
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
            return ValidatedRwLock.this.record();
        }
    }

    private final class ReadSide extends Side {
        @Override
        Lock real() {
            return sync.readLock();
        }

        @Override
        int kind() {
            return readKind();
        }

        @Override
        boolean shared() {
            return true;
        }

        @Override
        public boolean heldByCurrentThread() {
            return sync.readHeldByMe();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("read locks have no conditions");
        }

        @Override
        public String toString() {
            return ValidatedRwLock.this + ".read";
        }
    }

    private final class WriteSide extends Side {
        @Override
        Lock real() {
            return sync.writeLock();
        }

        @Override
        int kind() {
            return writeKind();
        }

        @Override
        boolean shared() {
            return false;
        }

        @Override
        public boolean heldByCurrentThread() {
            return sync.writeHeldByMe();
        }

        @Override
        public Condition newCondition() {
            return new ValidatedCondition(ValidatedRwLock.this, sync.writeLock().newCondition(), null);
        }

        @Override
        public String toString() {
            return ValidatedRwLock.this + ".write";
        }
    }
}
