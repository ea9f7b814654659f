package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.assertClean;
import static nvdimm.lockdep.Fixtures.nested;
import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleDetectionTest {
    private static final LockClass A = LockClass.of("test.a");
    private static final LockClass B = LockClass.of("test.b");
    private static final LockClass C = LockClass.of("test.c");
    private static final LockClass D = LockClass.of("test.d");
    private static final LockClass E = LockClass.of("test.e");

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    CycleDetectionTest() {
        lockdep.register(A, B, C, D, E);
    }

    @Test
    void abbaBetweenTwoThreadsThatNeverCollideIsReported() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        onThread("first", () -> nested(a, b));
        assertClean(lockdep);
        onThread("second", () -> nested(b, a));

        assertEquals(1, lockdep.reports().size());
        LockdepReport report = lockdep.reports().get(0);
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, report.kind());
        assertEquals(List.of("test.a", "test.b"), report.lockNames());
        assertEquals("second", report.thread());
        // The old dependency names the thread and place where it was first seen.
        Dependency old = report.cycle().get(1);
        assertEquals("test.a -(EN)-> test.b", old.toString());
        assertEquals("first", old.thread());
        assertTrue(old.firstSeen().stream().anyMatch(f -> f.getMethodName().contains("abbaBetweenTwoThreads")),
                () -> old.firstSeen().toString());
    }

    @Test
    void abbaInThrowModeThrowsBeforeBlocking() throws Exception {
        lockdep.setMode(LockdepMode.THROW);
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a, b);
        b.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, a::lock);
            assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, e.report().kind());
            assertFalse(a.isHeldByCurrentThread());
            assertEquals(1, lockdep.heldLocks().size());
            // the lock was never taken: another thread gets it at once
            assertTrue(onThread("other", () -> {
                boolean got = a.tryLock();
                a.unlock();
                return got;
            }));
        } finally {
            b.unlock();
        }
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void correctOrderRepeatedOnManyThreadsIsClean() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        for (int i = 0; i < 3; i++) {
            onThread("t" + i, () -> nested(a, b, c));
            onThread("u" + i, () -> nested(a, c));
            onThread("v" + i, () -> nested(b, c));
        }
        assertClean(lockdep);
    }

    @Test
    void cycleOfThreeIsReportedOnTheClosingAcquisition() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        onThread("t1", () -> nested(a, b));
        onThread("t2", () -> nested(b, c));
        assertClean(lockdep);
        onThread("t3", () -> nested(c, a));

        LockdepReport r = lockdep.reports().get(0);
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, r.kind());
        assertEquals(List.of("test.a", "test.b", "test.c"), r.lockNames());
        assertEquals(3, r.cycle().size());
        assertEquals(List.of("t3", "t1", "t2"), r.cycle().stream().map(Dependency::thread).toList());
    }

    @Test
    void cycleOfFiveIsReported() throws Exception {
        List<Mutex> locks = new ArrayList<>();
        for (LockClass c : List.of(A, B, C, D, E)) {
            locks.add(lockdep.newMutex(c));
        }
        for (int i = 0; i < 4; i++) {
            Mutex from = locks.get(i);
            Mutex to = locks.get(i + 1);
            onThread("t" + i, () -> nested(from, to));
        }
        assertClean(lockdep);
        nested(locks.get(4), locks.get(0));
        LockdepReport r = lockdep.reports().get(0);
        assertEquals(5, r.cycle().size());
        assertEquals(List.of("test.a", "test.b", "test.c", "test.d", "test.e"), r.lockNames());
    }

    @Test
    void transitiveOrderThroughADeeperStackIsNotACycle() {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        nested(a, b, c);
        // Only the top of the stack links to the new lock; a -> c follows from a -> b -> c.
        assertEquals(2, lockdep.dependencies().size(), lockdep.dependencies()::toString);
        nested(a, c);
        nested(b, c);
        assertClean(lockdep);
    }

    @Test
    void twoInstancesOfOneClassShareItsRules() throws Exception {
        Mutex a1 = lockdep.newMutex(A);
        Mutex a2 = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a1, b);
        onThread("other", () -> nested(b, a2));
        assertEquals(List.of(LockdepReport.Kind.CIRCULAR_DEPENDENCY), Fixtures.kinds(lockdep));
    }

    @Test
    void cycleThroughSubclassesIsReported() {
        LockClass dev = LockClass.of("test.device_lock");
        lockdep.register(dev);
        Mutex bus = lockdep.newMutex(dev, 0);
        Mutex namespace = lockdep.newMutex(dev, 3);
        nested(bus, namespace);
        assertClean(lockdep);
        nested(namespace, bus);
        LockdepReport r = lockdep.reports().get(0);
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, r.kind());
        assertEquals(List.of("test.device_lock", "test.device_lock/3"), r.lockNames());
    }

    @Test
    void correctNestedOrderWithinOneClassThroughSubclassesIsClean() {
        LockClass dev = LockClass.of("test.device_lock");
        lockdep.register(dev);
        Mutex bus = lockdep.newMutex(dev, 0);
        Mutex ndctl = lockdep.newMutex(dev, 1);
        Mutex region = lockdep.newMutex(dev, 2);
        Mutex dimm = lockdep.newMutex(dev, 2);
        Mutex namespace = lockdep.newMutex(dev, 3);
        Mutex claim = lockdep.newMutex(dev, 4);
        nested(bus, ndctl, region, namespace, claim);
        nested(bus, dimm);
        nested(region, claim);
        nested(bus, namespace);
        assertClean(lockdep);
    }

    @Test
    void sameSubclassTwiceNestedIsRecursion() {
        LockClass dev = LockClass.of("test.device_lock");
        lockdep.register(dev);
        Mutex region = lockdep.newMutex(dev, 2);
        Mutex dimm = lockdep.newMutex(dev, 2);
        nested(region, dimm);
        assertEquals(List.of(LockdepReport.Kind.RECURSIVE_LOCKING), Fixtures.kinds(lockdep));
        assertEquals(List.of("test.device_lock/2"), lockdep.reports().get(0).lockNames());
    }

    @Test
    void aCycleIsReportedOnceAndThrowModeThrowsEveryTime() {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a, b);
        for (int i = 0; i < 3; i++) {
            nested(b, a);
        }
        assertEquals(1, lockdep.reports().size());

        lockdep.setMode(LockdepMode.THROW);
        Mutex c = lockdep.newMutex(C);
        nested(a, c);
        for (int i = 0; i < 3; i++) {
            assertThrows(LockdepException.class, () -> nested(c, a));
        }
        assertEquals(2, lockdep.reports().size());
        assertEquals(List.of(), lockdep.heldLocks());
    }

    /**
     * Issue 8 item 12: a cycle found in WARN mode is cached with its chain; after a switch to THROW the
     * cached chain must not let the reported order through. The same for recursion, and for a problem
     * found by a timed tryLock or a read lock, which share the path.
     */
    @Test
    void aCycleSeenInWarnModeThrowsOnceTheModeIsThrow() {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a, b);
        nested(b, a); // reported, and the chain b -> a is cached
        nested(b, a); // WARN: the cached chain goes through quietly
        assertEquals(1, lockdep.reports().size());
        lockdep.setMode(LockdepMode.THROW);
        b.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, a::lock);
            assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, e.report().kind());
            assertFalse(a.isHeldByCurrentThread());
            assertThrows(LockdepException.class, a::lock, "every retry throws");
        } finally {
            b.unlock();
        }
        nested(a, b); // the allowed order still passes
        assertEquals(1, lockdep.reports().size());
        lockdep.setMode(LockdepMode.WARN);
        nested(b, a);
        assertEquals(1, lockdep.reports().size());

        Mutex c = lockdep.newMutex(C);
        nested(c, c);
        lockdep.setMode(LockdepMode.THROW);
        c.lock();
        try {
            assertThrows(LockdepException.class, c::lock);
        } finally {
            c.unlock();
        }
        assertEquals(2, lockdep.reports().size());
    }

    @Test
    void theSameCycleClosedFromTheOtherSideIsNotReportedAgain() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        nested(a, b);
        nested(b, a); // reported; b -> a refused
        onThread("other", () -> nested(b, c)); // unrelated
        assertEquals(1, lockdep.reports().size());
        lockdep.reset();
        nested(b, a);
        nested(a, b); // the same cycle, closed from the other side: a new report after a reset
        assertEquals(1, lockdep.reports().size());
        assertEquals(List.of("test.b", "test.a"), lockdep.reports().get(0).lockNames());
    }

    @Test
    void trylockAddsNoDependencyOfItsOwnButIsHeld() {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        nested(b, a);
        a.lock();
        try {
            assertTrue(b.tryLock()); // the reverse order, but a trylock cannot deadlock
            try {
                assertEquals(List.of("test.a", "test.b"),
                        lockdep.heldLocks().stream().map(h -> h.lock().toString()).toList());
                assertEquals("write trylock", lockdep.heldLocks().get(1).mode());
                c.lock(); // depends on both the trylock and the lock below it
                c.unlock();
            } finally {
                b.unlock();
            }
        } finally {
            a.unlock();
        }
        assertClean(lockdep);
        assertEquals(List.of("test.a -(EN)-> test.c", "test.b -(EN)-> test.a", "test.b -(EN)-> test.c"),
                lockdep.dependencies().stream().map(Dependency::toString).toList());
    }

    @Test
    void timedTryLockCanBlockSoItIsValidated() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a, b);
        b.lock();
        try {
            assertTrue(a.tryLock(1, java.util.concurrent.TimeUnit.SECONDS));
            a.unlock();
        } finally {
            b.unlock();
        }
        assertEquals(List.of(LockdepReport.Kind.CIRCULAR_DEPENDENCY), Fixtures.kinds(lockdep));
    }

    @Test
    void lockInterruptiblyIsValidated() throws Exception {
        lockdep.setMode(LockdepMode.THROW);
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a, b);
        b.lock();
        try {
            assertThrows(LockdepException.class, a::lockInterruptibly);
            assertFalse(a.isHeldByCurrentThread());
        } finally {
            b.unlock();
        }
    }

    @Test
    void throwModeLeavesTheHeldStackConsistentForLaterChecks() {
        lockdep.setMode(LockdepMode.THROW);
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        nested(a, b);
        b.lock();
        assertThrows(LockdepException.class, a::lock);
        c.lock(); // b -> c, validated against the real stack [b]
        c.unlock();
        b.unlock();
        assertEquals(List.of("test.a -(EN)-> test.b", "test.b -(EN)-> test.c"),
                lockdep.dependencies().stream().map(Dependency::toString).toList());
        lockdep.assertNoneHeld();
        assertEquals(1, lockdep.reports().size());
    }

    @Test
    void outOfOrderUnlockKeepsTheRestOfTheStack() {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        Mutex c = lockdep.newMutex(C);
        a.lock();
        b.lock();
        a.unlock(); // hand-over-hand
        c.lock();
        assertEquals(List.of("test.b", "test.c"), lockdep.heldLocks().stream().map(h -> h.lock().toString()).toList());
        c.unlock();
        b.unlock();
        assertClean(lockdep);
        assertEquals(List.of("test.a -(EN)-> test.b", "test.b -(EN)-> test.c"),
                lockdep.dependencies().stream().map(Dependency::toString).toList());
    }
}
