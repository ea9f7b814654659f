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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import nvdimm.lockdep.LockdepReport.Kind;
import org.junit.jupiter.api.Test;

/** Recursion, unlock balance, sleeping in atomic context, assertions, registration and modes. */
class ChecksTest {
    private static final LockClass A = LockClass.of("test.a");
    private static final LockClass B = LockClass.of("test.b");
    private static final LockClass SPIN = LockClass.of("test.spin", LockClass.Flag.ATOMIC);
    private static final LockClass SPIN2 = LockClass.of("test.spin2", LockClass.Flag.ATOMIC);
    private static final LockClass NESTABLE = LockClass.of("test.nestable", LockClass.Flag.RECURSIVE);

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    ChecksTest() {
        lockdep.register(A, B, SPIN, SPIN2, NESTABLE);
    }

    @Test
    void reentrantMutexIsRecursionUnlessTheClassAllowsIt() {
        Mutex a = lockdep.newMutex(A);
        nested(a, a);
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds(lockdep));
        assertTrue(lockdep.reports().get(0).summary().contains("the same lock"));

        Mutex n = lockdep.newMutex(NESTABLE);
        Mutex n2 = lockdep.newMutex(NESTABLE);
        nested(n, n, n2);
        assertEquals(1, lockdep.reports().size());
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void recursionInThrowModeLeavesTheLockOnce() {
        lockdep.setMode(LockdepMode.THROW);
        Mutex a = lockdep.newMutex(A);
        a.lock();
        try {
            assertThrows(LockdepException.class, a::lock);
            assertThrows(LockdepException.class, a::tryLock);
            assertEquals(1, ((ReentrantLock) a).getHoldCount());
            assertEquals(1, lockdep.heldLocks().size());
        } finally {
            a.unlock();
        }
        assertFalse(a.isHeldByCurrentThread());
    }

    @Test
    void unlockOfALockNotHeldIsReported() {
        Mutex a = lockdep.newMutex(A);
        assertThrows(IllegalMonitorStateException.class, a::unlock);
        LockdepReport r = lockdep.reports().get(0);
        assertEquals(Kind.BAD_UNLOCK, r.kind());
        assertTrue(r.summary().contains("does not hold it"), r.summary());
    }

    @Test
    void unlockByAnotherThreadNamesTheOwner() throws Exception {
        lockdep.setMode(LockdepMode.THROW);
        Mutex a = lockdep.newMutex(A);
        a.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, () -> onThread("thief", a::unlock));
            assertTrue(e.report().summary().contains("held by thread \"" + Thread.currentThread().getName()),
                    e.report().summary());
            assertTrue(a.isHeldByCurrentThread());
        } finally {
            a.unlock();
        }
    }

    @Test
    void mightSleepWhileHoldingAnAtomicLockIsReported() {
        Mutex spin = lockdep.newMutex(SPIN);
        lockdep.mightSleep();
        assertClean(lockdep);
        spin.lock();
        try {
            lockdep.mightSleep();
        } finally {
            spin.unlock();
        }
        lockdep.mightSleep();
        assertEquals(List.of(Kind.SLEEP_IN_ATOMIC), kinds(lockdep));
        assertEquals(List.of("test.spin"), lockdep.reports().get(0).lockNames());
    }

    @Test
    void blockingOnASleepingLockUnderAnAtomicOneIsReported() {
        Mutex spin = lockdep.newMutex(SPIN);
        Mutex spin2 = lockdep.newMutex(SPIN2);
        Mutex a = lockdep.newMutex(A);
        nested(spin, spin2); // atomic under atomic: fine
        nested(a, spin); // atomic under sleeping: fine
        assertClean(lockdep);
        nested(spin, lockdep.newMutex(B));
        assertEquals(List.of(Kind.SLEEP_IN_ATOMIC), kinds(lockdep));
    }

    @Test
    void trylockOfASleepingLockUnderAnAtomicOneDoesNotSleep() {
        Mutex spin = lockdep.newMutex(SPIN);
        Mutex a = lockdep.newMutex(A);
        spin.lock();
        assertTrue(a.tryLock());
        a.unlock();
        spin.unlock();
        assertClean(lockdep);
    }

    @Test
    void waitingUnderAnAtomicLockIsReported() {
        LockClass flush = LockClass.of("test.flush", LockClass.Flag.ATOMIC);
        lockdep.register(flush);
        WaitPoint done = lockdep.newWaitPoint(flush);
        Mutex spin = lockdep.newMutex(SPIN);
        spin.lock();
        done.beforeWait(); // a wait sleeps, whatever its class says
        spin.unlock();
        assertEquals(List.of(Kind.SLEEP_IN_ATOMIC), kinds(lockdep));
    }

    @Test
    void assertHeldPassesWhenHeldAndReportsWhenNot() throws Exception {
        Mutex a = lockdep.newMutex(A);
        RwLock rw = lockdep.newRwLock(B);
        a.lock();
        rw.readLock().lock();
        lockdep.assertHeld(a);
        lockdep.assertHeld(rw);
        lockdep.assertHeld(rw.readLock());
        assertClean(lockdep);
        lockdep.assertHeld(rw.writeLock());
        rw.readLock().unlock();
        onThread("other", () -> lockdep.assertHeld(a));
        a.unlock();
        assertEquals(List.of(Kind.NOT_HELD, Kind.NOT_HELD), kinds(lockdep));
        assertEquals("other", lockdep.reports().get(1).thread());

        lockdep.setMode(LockdepMode.THROW);
        assertThrows(LockdepException.class, () -> lockdep.assertHeld(rw));
        assertThrows(IllegalArgumentException.class, () -> lockdep.assertHeld(new ReentrantLock()));
        Lockdep other = quiet(LockdepMode.WARN);
        other.register(A);
        Mutex foreign = other.newMutex(A);
        assertThrows(IllegalArgumentException.class, () -> lockdep.assertHeld(foreign));
    }

    @Test
    void assertNoneHeldReportsTheLocksStillHeld() {
        Mutex a = lockdep.newMutex(A);
        lockdep.assertNoneHeld();
        assertClean(lockdep);
        a.lock();
        lockdep.assertNoneHeld();
        a.unlock();
        LockdepReport r = lockdep.reports().get(0);
        assertEquals(Kind.LOCKS_HELD, r.kind());
        assertEquals(List.of("test.a"), r.lockNames());
        assertEquals(1, r.held().size());
    }

    /**
     * Issue 8 item 14: making a lock of a class that is not registered fails at once (a report, and a
     * {@link LockdepException} in every mode), rather than at the lock's first use, far from the mistake.
     */
    @Test
    void makingALockOfAnUnregisteredClassFailsAtOnce() {
        LockClass late = LockClass.of("test.late");
        Mutex held = lockdep.newMutex(B);
        held.lock();
        LockdepException e;
        try {
            e = assertThrows(LockdepException.class, () -> lockdep.newMutex(late));
        } finally {
            held.unlock();
        }
        assertEquals(Kind.UNREGISTERED_CLASS, e.report().kind());
        assertEquals(1, e.report().held().size());
        assertEquals(List.of("test.late"), e.report().lockNames());
        assertTrue(e.getMessage().contains("test.late"), e.getMessage());
        assertThrows(LockdepException.class, () -> lockdep.newMutex(late, 2));
        assertThrows(LockdepException.class, () -> lockdep.newRwLock(late));
        assertThrows(LockdepException.class, () -> lockdep.newShadowLock(late));
        assertThrows(LockdepException.class, () -> lockdep.newWaitPoint(late));
        assertEquals(List.of(Kind.UNREGISTERED_CLASS), kinds(lockdep).stream().distinct().toList());
        assertEquals(List.of(), lockdep.heldLocks());
        lockdep.setMode(LockdepMode.OFF);
        assertThrows(LockdepException.class, () -> lockdep.newMutex(late));
        lockdep.setMode(LockdepMode.WARN);

        lockdep.register(late);
        Mutex m = lockdep.newMutex(late);
        Mutex a = lockdep.newMutex(A);
        nested(a, m);
        assertEquals(1, lockdep.dependencies().size());
    }

    /** Issue 8 item 14: a class two owners registered lives until both have released it. */
    @Test
    void aClassRegisteredByTwoOwnersLivesUntilTheLastReleasesIt() {
        Object first = new Object();
        Object second = new Object();
        LockClass shared = LockClass.of("test.shared");
        lockdep.forOwner(first).register(shared);
        lockdep.forOwner(second).register(shared);
        lockdep.forOwner(second).register(shared); // once per owner
        Mutex a = lockdep.newMutex(A);
        Mutex m = lockdep.newMutex(shared);
        nested(a, m);
        assertEquals(0, lockdep.release(first));
        assertTrue(lockdep.isRegistered(shared));
        assertEquals(1, lockdep.dependencies().size());
        nested(a, m);
        assertClean(lockdep);
        assertEquals(1, lockdep.release(second));
        assertFalse(lockdep.isRegistered(shared));
        assertEquals(0, lockdep.dependencies().size());
        assertEquals(0, lockdep.release(second));
    }

    /** A helper shared by several callers, as a {@code withLock} wrapper would be. */
    private static void unlockVia(Mutex m) {
        m.unlock();
    }

    private void assertHeldVia(Mutex m) {
        lockdep.assertHeld(m);
    }

    /**
     * Issue 8 item 14: reports other than cycles are told apart by their caller outside the validator and
     * any helper, not by the innermost frame: two callers of one helper are two bugs, one caller hitting
     * the same bug again is one.
     */
    @Test
    void reportsThroughASharedHelperAreKeptApartByCaller() {
        Mutex a = lockdep.newMutex(A);
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalMonitorStateException.class, () -> unlockVia(a));
        }
        assertEquals(1, lockdep.reports().size());
        assertThrows(IllegalMonitorStateException.class, () -> unlockVia(a));
        assertEquals(List.of(Kind.BAD_UNLOCK, Kind.BAD_UNLOCK), kinds(lockdep));
        assertHeldVia(a);
        assertHeldVia(a);
        assertEquals(List.of(Kind.BAD_UNLOCK, Kind.BAD_UNLOCK, Kind.NOT_HELD, Kind.NOT_HELD), kinds(lockdep));
    }

    @Test
    void aLockOfAReleasedClassIsReported() {
        Object bundle = new Object();
        LockClass owned = LockClass.of("test.owned");
        lockdep.forOwner(bundle).register(owned);
        Mutex m = lockdep.newMutex(owned);
        Mutex a = lockdep.newMutex(A);
        nested(a, m);
        assertEquals(1, lockdep.dependencies().size());
        assertEquals(1, lockdep.release(bundle));
        assertFalse(lockdep.isRegistered(owned));
        assertEquals(0, lockdep.dependencies().size());
        lockdep.setMode(LockdepMode.THROW);
        LockdepException e = assertThrows(LockdepException.class, m::lock);
        assertEquals(Kind.UNREGISTERED_CLASS, e.report().kind());
        assertFalse(m.isHeldByCurrentThread());

        lockdep.register(owned); // registered again (by the default owner): the same locks work again
        nested(a, m);
        assertEquals(1, lockdep.dependencies().size());
        assertEquals(1, lockdep.reports().size());
    }

    @Test
    void classNamesAreUniqueAndRegistrationIsIdempotent() {
        lockdep.register(A, A);
        lockdep.forOwner(new Object()).register(A);
        assertEquals(5, lockdep.status().classes());
        assertThrows(IllegalArgumentException.class, () -> lockdep.register(LockClass.of("test.a")));
        assertThrows(IllegalArgumentException.class, () -> lockdep.newMutex(A, 8));
        assertThrows(IllegalArgumentException.class, () -> lockdep.newMutex(A, -1));
        assertThrows(IllegalArgumentException.class, () -> LockClass.of(" "));
    }

    @Test
    void offModeTracksNothingAndReportsNothing() {
        lockdep.setMode(LockdepMode.OFF);
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        nested(a, b);
        nested(b, a);
        nested(a, a);
        lockdep.assertHeld(a);
        a.lock();
        lockdep.assertNoneHeld();
        assertEquals(List.of(), lockdep.heldLocks());
        a.unlock();
        assertClean(lockdep);
        assertEquals(0, lockdep.status().edges());
    }

    @Test
    void turningTheValidatorBackOnForgetsHoldsTakenWhileOff() {
        Mutex a = lockdep.newMutex(A);
        Mutex b = lockdep.newMutex(B);
        a.lock();
        lockdep.setMode(LockdepMode.OFF);
        a.unlock(); // not seen
        b.lock(); // not seen
        lockdep.setMode(LockdepMode.WARN);
        b.unlock(); // held by this thread: no complaint though it was never recorded
        lockdep.assertNoneHeld();
        assertClean(lockdep);
    }

    @Test
    void listenersHearEachNewReportOnceAndMayBeRemoved() {
        List<LockdepReport> heard = new ArrayList<>();
        java.util.function.Consumer<LockdepReport> listener = heard::add;
        lockdep.addListener(listener);
        lockdep.addListener(r -> {
            throw new IllegalStateException("a broken listener must not break locking");
        });
        Mutex a = lockdep.newMutex(A);
        nested(a, a);
        nested(a, a);
        assertEquals(1, heard.size());
        lockdep.removeListener(listener);
        lockdep.assertNoneHeld();
        lockdep.mightSleep();
        Mutex spin = lockdep.newMutex(SPIN);
        spin.lock();
        lockdep.mightSleep();
        spin.unlock();
        assertEquals(1, heard.size());
        assertEquals(2, lockdep.reports().size());
    }

    @Test
    void defaultSinkLogsAndModeParses() {
        Lockdep logging = new Lockdep();
        assertEquals(LockdepMode.WARN, logging.mode());
        logging.register(A);
        Mutex a = logging.newMutex(A);
        nested(a, a);
        assertEquals(1, logging.reports().size());
        assertEquals(LockdepMode.THROW, LockdepMode.parse(" Throw "));
        assertEquals(LockdepMode.OFF, LockdepMode.parse("off"));
        assertThrows(IllegalArgumentException.class, () -> LockdepMode.parse("loud"));
        assertThrows(IllegalArgumentException.class, () -> LockdepMode.parse(null));
    }
}
