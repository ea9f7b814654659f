package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.assertClean;
import static nvdimm.lockdep.Fixtures.kinds;
import static nvdimm.lockdep.Fixtures.nested;
import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nvdimm.lockdep.LockdepReport.Kind;
import org.junit.jupiter.api.Test;

/**
 * Lockdep's read/write rules (lockdep-design, "Recursive read locks"): W blocks everyone; r and R block
 * W and r; an R is blocked only by a writer holding the lock. A cycle is a deadlock only if it is strong:
 * no -(xR)-> step followed by an -(Sx)-> step.
 */
class ReadWriteRulesTest {
    private static final LockClass X = LockClass.of("test.x");
    private static final LockClass Y = LockClass.of("test.y");
    private static final LockClass RX = LockClass.of("test.rx", LockClass.Flag.RECURSIVE_READ);
    private static final LockClass RY = LockClass.of("test.ry", LockClass.Flag.RECURSIVE_READ);

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    ReadWriteRulesTest() {
        lockdep.register(X, Y, RX, RY);
    }

    @Test
    void readXThenWriteYAgainstReadYThenWriteXIsADeadlock() throws Exception {
        RwLock x = lockdep.newRwLock(X);
        RwLock y = lockdep.newRwLock(Y);
        onThread("A", () -> nested(x.readLock(), y.writeLock()));
        onThread("B", () -> nested(y.readLock(), x.writeLock()));
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
        assertEquals("test.x -(SN)-> test.y", lockdep.reports().get(0).cycle().get(1).toString());
    }

    @Test
    void theSameWithRecursiveReadersIsStillADeadlock() throws Exception {
        RwLock x = lockdep.newRwLock(RX);
        RwLock y = lockdep.newRwLock(RY);
        onThread("A", () -> nested(x.readLock(), y.writeLock()));
        onThread("B", () -> nested(y.readLock(), x.writeLock()));
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
    }

    @Test
    void readingAgainTheLockThisThreadReadsIsAllowedEvenWithAWriterWaiting() throws Exception {
        RwLock x = lockdep.newRwLock(X);
        x.readLock().lock();
        CountDownLatch queued = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            queued.countDown();
            x.writeLock().lock();
            x.writeLock().unlock();
        }, "writer");
        writer.start();
        queued.await();
        while (!writerQueued(writer)) {
            Thread.onSpinWait();
        }
        x.readLock().lock(); // a reentrant read of a ReentrantReadWriteLock does not wait for the writer
        x.readLock().unlock();
        x.readLock().unlock();
        writer.join();
        assertClean(lockdep);
    }

    private static boolean writerQueued(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TERMINATED;
    }

    @Test
    void readingTwoLocksOfANonRecursiveReadClassIsRecursion() {
        RwLock x1 = lockdep.newRwLock(X);
        RwLock x2 = lockdep.newRwLock(X);
        nested(x1.readLock(), x2.readLock());
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds(lockdep));
    }

    @Test
    void readingTwoLocksOfARecursiveReadClassIsAllowed() {
        RwLock x1 = lockdep.newRwLock(RX);
        RwLock x2 = lockdep.newRwLock(RX);
        nested(x1.readLock(), x2.readLock());
        assertClean(lockdep);
    }

    @Test
    void writingWhileReadingTheSameClassIsRecursion() {
        RwLock x1 = lockdep.newRwLock(RX);
        RwLock x2 = lockdep.newRwLock(RX);
        nested(x1.readLock(), x2.writeLock());
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds(lockdep));
    }

    @Test
    void readReadCycleOfNonRecursiveReadersIsADeadlock() throws Exception {
        // r readers queue behind waiting writers: with a writer waiting on each, both readers block.
        RwLock x = lockdep.newRwLock(X);
        RwLock y = lockdep.newRwLock(Y);
        onThread("A", () -> nested(x.readLock(), y.readLock()));
        onThread("B", () -> nested(y.readLock(), x.readLock()));
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
    }

    @Test
    void readReadCycleOfRecursiveReadersIsNotADeadlock() throws Exception {
        RwLock x = lockdep.newRwLock(RX);
        RwLock y = lockdep.newRwLock(RY);
        onThread("A", () -> nested(x.readLock(), y.readLock()));
        onThread("B", () -> nested(y.readLock(), x.readLock()));
        assertClean(lockdep);
        assertEquals(List.of("test.rx -(SR)-> test.ry", "test.ry -(SR)-> test.rx"),
                lockdep.dependencies().stream().map(Dependency::toString).toList());
    }

    @Test
    void recursiveReadAfterAWriteHoldIsNotADeadlockAgainstARead() throws Exception {
        // A: read X, read Y (X -(SR)-> Y). B: write Y, read X (Y -(ER)-> X). B's read of X waits only
        // for a writer of X, and nobody writes X: no deadlock.
        RwLock x = lockdep.newRwLock(RX);
        RwLock y = lockdep.newRwLock(RY);
        onThread("A", () -> nested(x.readLock(), y.readLock()));
        onThread("B", () -> nested(y.writeLock(), x.readLock()));
        assertClean(lockdep);
    }

    @Test
    void aWriterInTheCycleMakesItADeadlock() throws Exception {
        // A: read X, read Y (X -(SR)-> Y). B: write Y, write X (Y -(EN)-> X): B waits for A's read of X,
        // A waits for B's write of Y.
        RwLock x = lockdep.newRwLock(RX);
        RwLock y = lockdep.newRwLock(RY);
        onThread("A", () -> nested(x.readLock(), y.readLock()));
        onThread("B", () -> nested(y.writeLock(), x.writeLock()));
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
    }

    @Test
    void aRecursiveReadLinkDoesNotHideTheLockBelowIt() throws Exception {
        // A: write X, read R (recursive), write Y. X is held when Y is taken, whatever R is: X -> Y
        // must be recorded directly, because X -(ER)-> R -(SN)-> Y is not a strong path.
        RwLock x = lockdep.newRwLock(X);
        RwLock r = lockdep.newRwLock(RX);
        RwLock y = lockdep.newRwLock(Y);
        onThread("A", () -> nested(x.writeLock(), r.readLock(), y.writeLock()));
        onThread("B", () -> nested(y.writeLock(), x.writeLock()));
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
    }

    @Test
    void upgradingAReadLockIsReportedEvenForARecursiveClass() {
        LockClass recursive = LockClass.of("test.recursive", LockClass.Flag.RECURSIVE);
        lockdep.register(recursive);
        lockdep.setMode(LockdepMode.THROW);
        RwLock x = lockdep.newRwLock(recursive);
        x.readLock().lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, () -> x.writeLock().lock());
            assertTrue(e.report().summary().contains("upgraded"), e.report().summary());
            assertFalse(x.isWriteLockedByCurrentThread());
        } finally {
            x.readLock().unlock();
        }
    }

    @Test
    void downgradingAWriteLockIsAllowed() {
        RwLock x = lockdep.newRwLock(X);
        x.writeLock().lock();
        x.readLock().lock();
        x.writeLock().unlock();
        assertTrue(x.isReadLockedByCurrentThread());
        x.readLock().unlock();
        assertClean(lockdep);
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void writingAgainIsRecursionUnlessTheClassAllowsIt() {
        RwLock x = lockdep.newRwLock(X);
        nested(x.writeLock(), x.writeLock());
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds(lockdep));
    }

    @Test
    void recursiveReadersDoNotWaitForAQueuedWriter() throws Exception {
        RwLock x = lockdep.newRwLock(RX);
        x.readLock().lock();
        Thread writer = new Thread(() -> {
            x.writeLock().lock();
            x.writeLock().unlock();
        }, "writer");
        writer.start();
        while (writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        boolean got = onThread("reader", () -> {
            boolean ok = x.readLock().tryLock(10, TimeUnit.SECONDS);
            if (ok) {
                x.readLock().unlock();
            }
            return ok;
        });
        x.readLock().unlock();
        writer.join();
        assertTrue(got);
    }

    /**
     * Issue 8 item 11. A holds write X; writer W queues for X; B holds write Y and asks to read X (queued
     * behind W); A downgrades X to a read and asks to read Y. No writer holds X, so B, a recursive reader,
     * must get X (then Y is freed for A): the validator calls Y -(ER)-> X -(SR)-> Y safe, and the lock must
     * agree. A FIFO queue that wakes only its next waiter (W, who cannot enter past A's read) leaves B
     * behind W for ever, and A waits for Y: a real deadlock the validator does not report.
     */
    @Test
    void aQueuedRecursiveReaderIsAdmittedOnceNoWriterHoldsEvenBehindAQueuedWriter() throws Exception {
        RwLock x = lockdep.newRwLock(RX);
        RwLock y = lockdep.newRwLock(RY);
        x.writeLock().lock();
        Thread w = new Thread(() -> {
            try {
                x.writeLock().lockInterruptibly();
                x.writeLock().unlock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "W");
        w.start();
        awaitParked(w);
        CountDownLatch bGotX = new CountDownLatch(1);
        Thread b = new Thread(() -> {
            y.writeLock().lock();
            try {
                x.readLock().lockInterruptibly();
                bGotX.countDown();
                x.readLock().unlock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                y.writeLock().unlock();
            }
        }, "B");
        b.start();
        awaitParked(b);
        x.readLock().lock(); // A downgrades
        x.writeLock().unlock();
        boolean gotY = y.readLock().tryLock(10, TimeUnit.SECONDS);
        try {
            assertTrue(bGotX.await(0, TimeUnit.SECONDS), "B still waits to read X, which no writer holds");
            assertTrue(gotY, "A did not get to read Y");
        } finally {
            if (gotY) {
                y.readLock().unlock();
            }
            x.readLock().unlock();
            b.interrupt();
            w.interrupt();
            b.join(10_000);
            w.join(10_000);
        }
        assertFalse(b.isAlive() || w.isAlive());
        assertClean(lockdep);
    }

    /** Waits until {@code t} is parked in a lock's queue (bounded: a test that fails must not hang). */
    static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " never queued: " + t.getState());
            }
            Thread.sleep(1);
        }
    }

    @Test
    void badReadUnlockIsReported() {
        RwLock x = lockdep.newRwLock(X);
        assertThrows(IllegalMonitorStateException.class, () -> x.readLock().unlock());
        assertEquals(List.of(Kind.BAD_UNLOCK), kinds(lockdep));
        RwLock r = lockdep.newRwLock(RX);
        assertThrows(IllegalMonitorStateException.class, () -> r.readLock().unlock());
        assertThrows(IllegalMonitorStateException.class, () -> r.writeLock().unlock());
    }

    @Test
    void readTrylockInReverseOrderIsNotReported() {
        RwLock x = lockdep.newRwLock(X);
        RwLock y = lockdep.newRwLock(Y);
        nested(x.writeLock(), y.writeLock());
        y.writeLock().lock();
        assertTrue(x.readLock().tryLock());
        x.readLock().unlock();
        y.writeLock().unlock();
        assertClean(lockdep);
    }

    @Test
    void writeLockConditionReleasesAndReacquires() throws Exception {
        RwLock x = lockdep.newRwLock(X);
        java.util.concurrent.locks.Condition done = x.writeLock().newCondition();
        x.writeLock().lock();
        try {
            assertFalse(done.await(1, TimeUnit.MILLISECONDS));
            assertEquals(1, lockdep.heldLocks().size());
        } finally {
            x.writeLock().unlock();
        }
        assertClean(lockdep);
    }
}
