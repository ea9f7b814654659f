package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/** The real lock behind RECURSIVE_READ classes, with the validator off so only the lock is tested. */
class ReaderPreferringLockTest {
    private static final LockClass R = LockClass.of("test.r", LockClass.Flag.RECURSIVE_READ, LockClass.Flag.RECURSIVE);

    private final Lockdep lockdep = quiet(LockdepMode.OFF);
    private final RwLock lock;

    ReaderPreferringLockTest() {
        lockdep.register(R);
        lock = lockdep.newRwLock(R);
    }

    @Test
    void aWriterExcludesOtherThreadsAndIsReentrant() throws Exception {
        lock.writeLock().lock();
        lock.writeLock().lock();
        assertTrue(lock.isWriteLockedByCurrentThread());
        assertFalse(onThread("reader", () -> lock.readLock().tryLock()));
        assertFalse(onThread("writer", () -> lock.writeLock().tryLock()));
        assertFalse(onThread("reader", () -> lock.readLock().tryLock(1, TimeUnit.MILLISECONDS)));
        lock.writeLock().unlock();
        assertTrue(lock.isWriteLockedByCurrentThread());
        assertFalse(onThread("writer", () -> lock.writeLock().tryLock(1, TimeUnit.MILLISECONDS)));
        lock.writeLock().unlock();
        assertFalse(lock.isWriteLockedByCurrentThread());
        assertTrue(onThread("writer", () -> {
            boolean got = lock.writeLock().tryLock();
            lock.writeLock().unlock();
            return got;
        }));
    }

    @Test
    void readersShareAndKeepWritersOut() throws Exception {
        lock.readLock().lockInterruptibly();
        assertTrue(lock.isReadLockedByCurrentThread());
        assertTrue(onThread("reader", () -> {
            boolean got = lock.readLock().tryLock();
            lock.readLock().unlock();
            return got;
        }));
        assertFalse(onThread("writer", () -> lock.writeLock().tryLock()));
        assertFalse(lock.writeLock().tryLock()); // no upgrade
        lock.readLock().unlock();
        assertFalse(lock.isReadLockedByCurrentThread());
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        lock.writeLock().lockInterruptibly();
        lock.writeLock().unlock();
    }

    @Test
    void aWriterMayDowngradeAndTakeTheWriteLockAgain() throws Exception {
        lock.writeLock().lock();
        lock.readLock().lock();
        assertTrue(lock.writeLock().tryLock());
        lock.writeLock().unlock();
        lock.writeLock().unlock();
        assertFalse(onThread("writer", () -> lock.writeLock().tryLock()));
        assertTrue(onThread("reader", () -> {
            boolean got = lock.readLock().tryLock();
            lock.readLock().unlock();
            return got;
        }));
        lock.readLock().unlock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
    }

    @Test
    void aQueuedWriterGetsInWhenTheReadersLeaveAndConditionsWork() throws Exception {
        lock.readLock().lock();
        boolean[] wrote = new boolean[1];
        Thread writer = new Thread(() -> {
            lock.writeLock().lock();
            wrote[0] = true;
            lock.writeLock().unlock();
        });
        writer.start();
        while (writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        lock.readLock().unlock();
        writer.join();
        assertTrue(wrote[0]);

        Condition c = lock.writeLock().newCondition();
        lock.writeLock().lock();
        assertFalse(c.await(1, TimeUnit.MILLISECONDS));
        assertTrue(lock.isWriteLockedByCurrentThread());
        lock.writeLock().unlock();
        assertEquals(R, lock.lockClass());
    }
}
