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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import nvdimm.lockdep.LockdepReport.Kind;
import org.junit.jupiter.api.Test;

class WaitAndConditionTest {
    private static final LockClass A = LockClass.of("test.a");
    private static final LockClass B = LockClass.of("test.b");
    private static final LockClass FLUSH = LockClass.of("test.flush_done");

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    WaitAndConditionTest() {
        lockdep.register(A, B, FLUSH);
    }

    @Test
    void holdAWaitForWorkThatTakesAIsACycle() throws Exception {
        Mutex a = lockdep.newMutex(A);
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        a.lock();
        flush.waitFor(() -> { });
        a.unlock();
        assertClean(lockdep);
        onThread("worker", () -> flush.work(() -> nested(a)));
        LockdepReport r = lockdep.reports().get(0);
        assertEquals(Kind.CIRCULAR_DEPENDENCY, r.kind());
        assertEquals(List.of("test.a", "test.flush_done"), r.lockNames());
        assertEquals("test.flush_done -(SN)-> test.a", r.cycle().get(0).toString());
    }

    @Test
    void workFirstThenWaitUnderTheLockIsTheSameCycle() throws Exception {
        Mutex a = lockdep.newMutex(A);
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        onThread("worker", () -> flush.work(() -> nested(a)));
        lockdep.setMode(LockdepMode.THROW);
        a.lock();
        try {
            assertThrows(LockdepException.class, flush::beforeWait);
        } finally {
            a.unlock();
        }
    }

    @Test
    void waitingWithNoLockHeldIsClean() throws Exception {
        Mutex a = lockdep.newMutex(A);
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        onThread("worker", () -> flush.work(() -> nested(a)));
        flush.beforeWait();
        nested(a);
        flush.beginWork();
        flush.beginWork(); // works nest
        flush.endWork();
        flush.endWork();
        assertClean(lockdep);
    }

    @Test
    void waitingInsideTheWorkItWaitsForIsReported() {
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        flush.work(flush::beforeWait);
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds(lockdep));
        assertTrue(lockdep.reports().get(0).summary().contains("waits for itself"));
    }

    @Test
    void workIsHeldSharedAndAddsNoDependencyOfItsOwn() {
        Mutex a = lockdep.newMutex(A);
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        a.lock();
        flush.work(() -> assertEquals("work", lockdep.heldLocks().get(1).mode()));
        a.unlock();
        assertEquals(List.of(), lockdep.dependencies());
        assertClean(lockdep);
    }

    @Test
    void endWorkWithoutBeginIsABadUnlock() {
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        flush.endWork();
        assertEquals(List.of(Kind.BAD_UNLOCK), kinds(lockdep));
    }

    @Test
    void conditionAwaitReleasesAndReacquiresInTheHeldStack() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Condition ready = a.newCondition();
        a.lock();
        a.lock(); // twice (the class is not recursive: one report), an await releases both holds
        try {
            boolean[] seen = new boolean[1];
            Thread signaller = new Thread(() -> {
                a.lock();
                try {
                    seen[0] = true;
                    ready.signalAll();
                } finally {
                    a.unlock();
                }
            }, "signaller");
            signaller.start();
            while (!seen[0]) {
                ready.await();
            }
            signaller.join();
            assertEquals(2, lockdep.heldLocks().size());
        } finally {
            a.unlock();
            a.unlock();
        }
        assertEquals(List.of(), lockdep.heldLocks());
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds(lockdep));
    }

    @Test
    void awaitReacquiresOnTopOfOtherHeldLocks() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Condition c = a.newCondition();
        a.lock();
        b.lock();
        assertFalse(c.await(1, TimeUnit.MILLISECONDS)); // re-taking a while holding b: b -> a against a -> b
        assertEquals(List.of("test.b", "test.a"), lockdep.heldLocks().stream().map(h -> h.lock().toString()).toList());
        b.unlock();
        a.unlock();
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
    }

    @Test
    void awaitThatWouldDeadlockThrowsBeforeWaitingWithTheStackIntact() throws Exception {
        lockdep.setMode(LockdepMode.THROW);
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Condition c = a.newCondition();
        nested(a, b);
        a.lock();
        b.lock();
        try {
            assertThrows(LockdepException.class, () -> c.awaitNanos(1));
            assertTrue(a.isHeldByCurrentThread());
            assertEquals(List.of("test.a", "test.b"),
                    lockdep.heldLocks().stream().map(h -> h.lock().toString()).toList());
        } finally {
            b.unlock();
            a.unlock();
        }
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void aConditionBoundToAWaitPointFindsASignallerThatNeedsAHeldLock() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        WaitPoint flush = lockdep.newWaitPoint(FLUSH);
        Condition done = a.newCondition(flush);
        // The signaller's work takes b.
        onThread("signaller", () -> flush.work(() -> nested(b)));
        b.lock();
        a.lock();
        done.awaitUntil(new java.util.Date(System.currentTimeMillis() + 1)); // waits on flush while holding b
        a.unlock();
        b.unlock();
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
        Lockdep other = quiet(LockdepMode.WARN);
        other.register(FLUSH);
        assertThrows(IllegalArgumentException.class, () -> a.newCondition(other.newWaitPoint(FLUSH)));
    }

    @Test
    void awaitUnderAnAtomicLockSleeps() throws Exception {
        LockClass spin = LockClass.of("test.spin", LockClass.Flag.ATOMIC);
        lockdep.register(spin);
        Mutex s = lockdep.newMutex(spin);
        Mutex a = lockdep.newMutex(A);
        Condition c = a.newCondition();
        s.lock();
        a.lock();
        c.await(1, TimeUnit.MILLISECONDS);
        a.unlock();
        s.unlock();
        assertTrue(lockdep.reports().stream().anyMatch(r -> r.kind() == Kind.SLEEP_IN_ATOMIC
                && r.summary().contains("await a condition of test.a")), lockdep.reports()::toString);
        // awaitUninterruptibly and signal pass through
        a.lock();
        Thread t = new Thread(() -> {
            a.lock();
            c.signal();
            a.unlock();
        });
        t.start();
        c.awaitUninterruptibly();
        a.unlock();
        t.join();
    }

    @Test
    void awaitWithoutHoldingTheLockFailsAsUsual() {
        Mutex a = lockdep.newMutex(A);
        Condition c = a.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertEquals(List.of(), lockdep.heldLocks());
    }
}
