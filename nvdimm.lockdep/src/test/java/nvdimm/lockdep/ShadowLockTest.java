package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.assertClean;
import static nvdimm.lockdep.Fixtures.kinds;
import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nvdimm.lockdep.LockdepReport.Kind;
import org.junit.jupiter.api.Test;

class ShadowLockTest {
    private static final LockClass MONITOR = LockClass.of("test.framework_monitor");
    private static final LockClass A = LockClass.of("test.a");

    private final Lockdep lockdep = quiet(LockdepMode.WARN);
    private final Object monitor = new Object();

    ShadowLockTest() {
        lockdep.register(MONITOR, A);
    }

    @Test
    void aShadowBesideASynchronizedBlockTakesPartInTheGraph() throws Exception {
        ShadowLock shadow = lockdep.newShadowLock(MONITOR, 0, () -> Thread.holdsLock(monitor));
        Mutex a = lockdep.newMutex(A);
        synchronized (monitor) {
            shadow.acquired();
            assertTrue(shadow.isHeldByCurrentThread());
            lockdep.assertHeld(shadow);
            a.lock();
            a.unlock();
            shadow.releasing();
        }
        assertFalse(shadow.isHeldByCurrentThread());
        assertClean(lockdep);
        onThread("other", () -> {
            a.lock();
            synchronized (monitor) {
                shadow.acquired();
                shadow.releasing();
            }
            a.unlock();
        });
        assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
    }

    @Test
    void releasingAShadowNeverAcquiredIsReported() {
        ShadowLock shadow = lockdep.newShadowLock(MONITOR);
        shadow.releasing();
        assertEquals(List.of(Kind.SHADOW_MISMATCH), kinds(lockdep));
        lockdep.setMode(LockdepMode.THROW);
        assertThrows(LockdepException.class, () -> lockdep.assertHeld(shadow));
    }

    @Test
    void acquiredWithoutTheRealLockIsReported() {
        ShadowLock shadow = lockdep.newShadowLock(MONITOR, 0, () -> Thread.holdsLock(monitor));
        shadow.acquired();
        shadow.releasing();
        assertEquals(List.of(Kind.SHADOW_MISMATCH, Kind.SHADOW_MISMATCH), kinds(lockdep));
        assertTrue(lockdep.reports().get(0).summary().contains("real lock is not held"));
        assertTrue(lockdep.reports().get(1).summary().contains("already released"));
    }

    @Test
    void releasingAfterTheRealLockIsGoneIsReported() {
        ShadowLock shadow = lockdep.newShadowLock(MONITOR, 0, () -> Thread.holdsLock(monitor));
        synchronized (monitor) {
            shadow.acquired();
        }
        shadow.releasing();
        assertEquals(List.of(Kind.SHADOW_MISMATCH), kinds(lockdep));
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void aShadowTakenByAnotherThreadWhileStillHeldIsReported() throws Exception {
        ShadowLock shadow = lockdep.newShadowLock(MONITOR);
        shadow.acquired(); // the real lock was released without releasing()
        onThread("next", () -> {
            shadow.acquired();
            shadow.releasing();
        });
        assertEquals(List.of(Kind.SHADOW_MISMATCH), kinds(lockdep));
        assertEquals("next", lockdep.reports().get(0).thread());
        shadow.releasing(); // no longer ours
        assertEquals(List.of(Kind.SHADOW_MISMATCH, Kind.SHADOW_MISMATCH), kinds(lockdep));
    }

    @Test
    void aReentrantRealLockMayBeShadowedTwiceIfTheClassIsRecursive() {
        LockClass recursive = LockClass.of("test.monitor", LockClass.Flag.RECURSIVE);
        lockdep.register(recursive);
        ShadowLock shadow = lockdep.newShadowLock(recursive);
        shadow.acquired();
        shadow.acquired();
        assertEquals(2, lockdep.heldLocks().size());
        assertEquals("shadow reentrant", lockdep.heldLocks().get(1).mode());
        shadow.releasing();
        assertTrue(shadow.isHeldByCurrentThread());
        shadow.releasing();
        assertFalse(shadow.isHeldByCurrentThread());
        assertClean(lockdep);
        assertEquals("ShadowLock[test.monitor]", shadow.toString());
    }

    @Test
    void offModeStillTracksTheOwnerSoLaterChecksHold() {
        ShadowLock shadow = lockdep.newShadowLock(MONITOR);
        lockdep.setMode(LockdepMode.OFF);
        shadow.acquired();
        shadow.releasing();
        shadow.releasing();
        assertClean(lockdep);
        shadow.acquired();
        lockdep.setMode(LockdepMode.WARN);
        shadow.releasing(); // acquired while off: ours, no complaint
        assertClean(lockdep);
        assertEquals(0, shadow.subclass());
        assertEquals(MONITOR, shadow.lockClass());
    }
}
