package nvdimm.lockdep.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A read/write lock whose readers are recursive in lockdep's sense: a reader waits only while another
 * thread holds the write lock, never for a queued writer (writers can starve). Both sides are reentrant;
 * a thread holding the write lock may also read (downgrade); a reader asking for the write lock waits
 * forever, as with {@link java.util.concurrent.locks.ReentrantReadWriteLock}. Used for classes with
 * {@link nvdimm.lockdep.LockClass.Flag#RECURSIVE_READ}, so the validator's rules match the real lock.
 */
final class ReaderPreferringLock implements RwSync {
    private static final int WRITE_UNIT = 1 << 16;
    private static final int READ_MASK = WRITE_UNIT - 1;

    /** State: write holds in the high 16 bits, read holds of all threads in the low 16 bits. */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean tryAcquire(int unused) {
            Thread me = Thread.currentThread();
            int c = getState();
            if (c != 0) {
                // Reads present without our write hold (or another writer): wait. Reads alongside our
                // write hold are our own downgrade.
                if (c >>> 16 == 0 || getExclusiveOwnerThread() != me) {
                    return false;
                }
                setState(c + WRITE_UNIT);
                return true;
            }
            if (!compareAndSetState(0, WRITE_UNIT)) {
                return false;
            }
            setExclusiveOwnerThread(me);
            return true;
        }

        @Override
        protected boolean tryRelease(int unused) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalMonitorStateException();
            }
            int c = getState() - WRITE_UNIT;
            boolean free = c >>> 16 == 0;
            if (free) {
                setExclusiveOwnerThread(null);
            }
            setState(c);
            return free;
        }

        @Override
        protected int tryAcquireShared(int unused) {
            Thread me = Thread.currentThread();
            while (true) {
                int c = getState();
                if (c >>> 16 != 0 && getExclusiveOwnerThread() != me) {
                    return -1;
                }
                if ((c & READ_MASK) == READ_MASK) {
                    throw new Error("maximum read lock count exceeded");
                }
                if (compareAndSetState(c, c + 1)) {
                    return 1;
                }
            }
        }

        @Override
        protected boolean tryReleaseShared(int unused) {
            while (true) {
                int c = getState();
                int next = c - 1;
                if (compareAndSetState(c, next)) {
                    return next == 0;
                }
            }
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }

        Thread writer() {
            return getState() >>> 16 == 0 ? null : getExclusiveOwnerThread();
        }

        Condition newCondition() {
            return new ConditionObject();
        }
    }

    private final Sync sync = new Sync();
    /** This thread's read holds, so that a read unlock without a hold fails instead of corrupting the count. */
    private final ThreadLocal<int[]> readHolds = ThreadLocal.withInitial(() -> new int[1]);

    private final Lock read = new Lock() {
        @Override
        public void lock() {
            sync.acquireShared(1);
            readHolds.get()[0]++;
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            sync.acquireSharedInterruptibly(1);
            readHolds.get()[0]++;
        }

        @Override
        public boolean tryLock() {
            if (sync.tryAcquireShared(1) < 0) {
                return false;
            }
            readHolds.get()[0]++;
            return true;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (!sync.tryAcquireSharedNanos(1, unit.toNanos(time))) {
                return false;
            }
            readHolds.get()[0]++;
            return true;
        }

        @Override
        public void unlock() {
            int[] holds = readHolds.get();
            if (holds[0] == 0) {
                throw new IllegalMonitorStateException("read lock not held by " + Thread.currentThread().getName());
            }
            holds[0]--;
            sync.releaseShared(1);
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("read locks have no conditions");
        }
    };

    private final Lock write = new Lock() {
        @Override
        public void lock() {
            sync.acquire(1);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            sync.acquireInterruptibly(1);
        }

        @Override
        public boolean tryLock() {
            return sync.tryAcquire(1);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return sync.tryAcquireNanos(1, unit.toNanos(time));
        }

        @Override
        public void unlock() {
            sync.release(1);
        }

        @Override
        public Condition newCondition() {
            return sync.newCondition();
        }
    };

    @Override
    public Lock readLock() {
        return read;
    }

    @Override
    public Lock writeLock() {
        return write;
    }

    @Override
    public boolean readHeldByMe() {
        return readHolds.get()[0] > 0;
    }

    @Override
    public boolean writeHeldByMe() {
        return sync.isHeldExclusively();
    }

    @Override
    public Thread writer() {
        return sync.writer();
    }
}
