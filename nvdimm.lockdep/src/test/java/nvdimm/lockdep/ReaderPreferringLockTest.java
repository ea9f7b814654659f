package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
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
            boolean got = lock.writeLock().tryLock(1, TimeUnit.MILLISECONDS);
            lock.writeLock().unlock();
            return got;
        }));
    }

    @Test
    void readersShareAndKeepWritersOut() throws Exception {
        lock.readLock().lockInterruptibly();
        assertTrue(lock.isReadLockedByCurrentThread());
        assertTrue(onThread("reader", () -> {
            boolean got = lock.readLock().tryLock() && lock.isReadLockedByCurrentThread();
            lock.readLock().unlock();
            return got && !lock.isReadLockedByCurrentThread();
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

    /**
     * Issue 8 item 11, on the lock alone: readers (blocking and timed) queued behind a queued writer get
     * in as soon as the write hold ends in a downgrade, while the writer still waits for the read.
     */
    @Test
    void queuedReadersAreAdmittedAfterADowngradeWhileAWriterStillWaits() throws Exception {
        lock.writeLock().lock();
        Thread writer = new Thread(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        }, "writer");
        writer.start();
        ReadWriteRulesTest.awaitParked(writer);
        CountDownLatch read = new CountDownLatch(2);
        CountDownLatch leave = new CountDownLatch(1);
        Thread blocking = new Thread(() -> {
            lock.readLock().lock();
            read.countDown();
            awaitQuietly(leave);
            lock.readLock().unlock();
        }, "blocking reader");
        Thread timed = new Thread(() -> {
            try {
                if (lock.readLock().tryLock(10, TimeUnit.SECONDS)) {
                    read.countDown();
                    awaitQuietly(leave);
                    lock.readLock().unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "timed reader");
        blocking.start();
        timed.start();
        ReadWriteRulesTest.awaitParked(blocking);
        ReadWriteRulesTest.awaitParked(timed);
        lock.readLock().lock();
        lock.writeLock().unlock();
        try {
            assertTrue(read.await(10, TimeUnit.SECONDS), "readers still wait though no writer holds the lock");
            assertTrue(writer.isAlive());
        } finally {
            leave.countDown();
            lock.readLock().unlock();
            writer.join(10_000);
            blocking.join(10_000);
            timed.join(10_000);
        }
        assertFalse(writer.isAlive() || blocking.isAlive() || timed.isAlive());
    }

    @Test
    void anInterruptedReaderGivesUpAndATimedOneTimesOut() throws Exception {
        lock.writeLock().lock();
        try {
            assertFalse(onThread("timed", () -> lock.readLock().tryLock(1, TimeUnit.MILLISECONDS)));
            assertThrows(InterruptedException.class, () -> onThread("interrupted", () -> {
                Thread.currentThread().interrupt();
                lock.readLock().lockInterruptibly();
                return null;
            }));
            String[] outcome = new String[2];
            Thread reader = new Thread(() -> {
                try {
                    lock.readLock().lockInterruptibly();
                    outcome[0] = "got in while the writer held";
                    lock.readLock().unlock();
                } catch (InterruptedException e) {
                    outcome[0] = "interrupted";
                }
            });
            reader.start();
            ReadWriteRulesTest.awaitParked(reader);
            reader.interrupt();
            reader.join(10_000);
            assertFalse(reader.isAlive());
            assertEquals("interrupted", outcome[0]);
            boolean[] writerGone = new boolean[1];
            Thread stubborn = new Thread(() -> {
                lock.readLock().lock();
                boolean kept = Thread.currentThread().isInterrupted();
                outcome[1] = (writerGone[0] ? "after the writer" : "while the writer held")
                        + (kept ? ", interrupt kept" : ", interrupt lost");
                lock.readLock().unlock();
            });
            stubborn.start();
            ReadWriteRulesTest.awaitParked(stubborn);
            stubborn.interrupt();
            Thread.sleep(20);
            writerGone[0] = true;
            lock.writeLock().unlock();
            stubborn.join(10_000);
            assertFalse(stubborn.isAlive());
            assertEquals("after the writer, interrupt kept", outcome[1]);
        } finally {
            if (lock.isWriteLockedByCurrentThread()) {
                lock.writeLock().unlock();
            }
        }
    }

    /** A condition wait gives up every write hold and takes them all back. */
    @Test
    void aConditionWaitUnderAReentrantWriteHoldReleasesAllHolds() throws Exception {
        Condition c = lock.writeLock().newCondition();
        lock.writeLock().lock();
        lock.writeLock().lock();
        try {
            Thread writer = new Thread(() -> {
                lock.writeLock().lock();
                c.signal();
                lock.writeLock().unlock();
            }, "signaller");
            writer.start();
            assertTrue(c.await(10, TimeUnit.SECONDS));
            writer.join(10_000);
            assertTrue(lock.isWriteLockedByCurrentThread());
            lock.writeLock().unlock();
            assertTrue(lock.isWriteLockedByCurrentThread());
        } finally {
            lock.writeLock().unlock();
        }
        assertFalse(lock.isWriteLockedByCurrentThread());
        assertTrue(onThread("writer", () -> {
            boolean got = lock.writeLock().tryLock();
            lock.writeLock().unlock();
            return got;
        }));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
