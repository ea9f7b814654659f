package nvdimm.lockdep.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * A read/write lock whose readers are recursive in lockdep's sense: a reader waits only while another
 * thread holds the write lock, never for a queued writer (writers can starve). Both sides are reentrant;
 * a thread holding the write lock may also read (downgrade); a reader asking for the write lock waits
 * forever, as with {@link java.util.concurrent.locks.ReentrantReadWriteLock}. Used for classes with
 * {@link nvdimm.lockdep.LockClass.Flag#RECURSIVE_READ}, so the validator's rules match the real lock.
 *
 * <p>Writers queue in the synchronizer, FIFO. Readers never join that queue: a FIFO queue wakes only its
 * next waiter, and a reader parked behind a queued writer would stay parked when the write hold ends in
 * a downgrade (the writer cannot enter past the downgraded read, so it never passes the wake-up on).
 * Waiting readers park on their own list instead, and every end of a write hold wakes all of them.
 */
final class ReaderPreferringLock implements RwSync {
    private static final int WRITE_UNIT = 1 << 16;
    private static final int READ_MASK = WRITE_UNIT - 1;

    /** State: write holds in the high 16 bits, read holds of all threads in the low 16 bits. */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        /** Readers parked until no writer holds the lock; they never join the synchronizer's queue. */
        final ConcurrentLinkedQueue<Thread> waitingReaders = new ConcurrentLinkedQueue<>();

        /**
         * {@code units}: {@link #WRITE_UNIT} from the write lock; from a condition wait, the state saved
         * when it released the lock, whose write part is all the holds it gave up (its read part is not
         * ours to take: read holds were never released).
         */
        @Override
        protected boolean tryAcquire(int units) {
            int writes = units & ~READ_MASK;
            Thread me = Thread.currentThread();
            int c = getState();
            if (c != 0) {
                // Reads present without our write hold (or another writer): wait. Reads alongside our
                // write hold are our own downgrade.
                if (c >>> 16 == 0 || getExclusiveOwnerThread() != me) {
                    return false;
                }
                setState(c + writes);
                return true;
            }
            if (!compareAndSetState(0, writes)) {
                return false;
            }
            setExclusiveOwnerThread(me);
            return true;
        }

        @Override
        protected boolean tryRelease(int units) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalMonitorStateException();
            }
            int c = getState() - (units & ~READ_MASK);
            boolean free = c >>> 16 == 0;
            if (free) {
                setExclusiveOwnerThread(null);
            }
            setState(c);
            if (free) {
                wakeReaders();
            }
            return free;
        }

        /** Takes a read hold unless another thread holds the write lock; readers never queue here. */
        boolean tryRead() {
            Thread me = Thread.currentThread();
            while (true) {
                int c = getState();
                if (c >>> 16 != 0 && getExclusiveOwnerThread() != me) {
                    return false;
                }
                if ((c & READ_MASK) == READ_MASK) {
                    throw new Error("maximum read lock count exceeded");
                }
                if (compareAndSetState(c, c + 1)) {
                    return true;
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

        /** After the write hold ended (state already stored): each waiting reader tries again. */
        private void wakeReaders() {
            for (Thread t : waitingReaders) {
                LockSupport.unpark(t);
            }
        }
    }

    private static final int GRANTED = 0;
    private static final int TIMED_OUT = 1;
    private static final int INTERRUPTED = 2;

    /**
     * Waits until a read hold is granted: the reader joins the waiting list first and only then checks
     * the state, and a writer ends its hold first and only then walks the list, so one of the two sees
     * the other.
     *
     * @param deadline for a timed wait, the {@link System#nanoTime()} to give up at; otherwise ignored
     * @return {@link #GRANTED}, {@link #TIMED_OUT}, or {@link #INTERRUPTED} (only if interruptible; the
     *     interrupt is consumed); an uninterruptible wait keeps an interrupt for the caller
     */
    private int awaitRead(boolean interruptible, boolean timed, long deadline) {
        Thread me = Thread.currentThread();
        sync.waitingReaders.add(me);
        boolean interrupted = false;
        try {
            while (!sync.tryRead()) {
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return TIMED_OUT;
                    }
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        return INTERRUPTED;
                    }
                    interrupted = true;
                }
            }
            return GRANTED;
        } finally {
            sync.waitingReaders.remove(me);
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    private final Sync sync = new Sync();
    /** This thread's read holds, so that a read unlock without a hold fails instead of corrupting the count. */
    private final ThreadLocal<int[]> readHolds = ThreadLocal.withInitial(() -> new int[1]);

    private final Lock read = new Lock() {
        @Override
        public void lock() {
            if (!sync.tryRead()) {
                awaitRead(false, false, 0);
            }
            readHolds.get()[0]++;
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!sync.tryRead() && awaitRead(true, false, 0) == INTERRUPTED) {
                throw new InterruptedException();
            }
            readHolds.get()[0]++;
        }

        @Override
        public boolean tryLock() {
            if (!sync.tryRead()) {
                return false;
            }
            readHolds.get()[0]++;
            return true;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!sync.tryRead()) {
                switch (awaitRead(true, true, System.nanoTime() + unit.toNanos(time))) {
                    case INTERRUPTED -> throw new InterruptedException();
                    case TIMED_OUT -> {
                        return false;
                    }
                    default -> { }
                }
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
            sync.acquire(WRITE_UNIT);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            sync.acquireInterruptibly(WRITE_UNIT);
        }

        @Override
        public boolean tryLock() {
            return sync.tryAcquire(WRITE_UNIT);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return sync.tryAcquireNanos(WRITE_UNIT, unit.toNanos(time));
        }

        @Override
        public void unlock() {
            sync.release(WRITE_UNIT);
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
