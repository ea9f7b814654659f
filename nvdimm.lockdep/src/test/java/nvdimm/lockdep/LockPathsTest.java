package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.assertClean;
import static nvdimm.lockdep.Fixtures.kinds;
import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import nvdimm.lockdep.LockdepReport.Kind;
import org.junit.jupiter.api.Test;

/** Every way in and out of each lock type keeps the held stack right, with the validator on and off. */
class LockPathsTest {
    private static final LockClass A = LockClass.of("test.a");
    private static final LockClass B = LockClass.of("test.b");
    private static final LockClass R = LockClass.of("test.r", LockClass.Flag.RECURSIVE_READ);

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    LockPathsTest() {
        lockdep.register(A, B, R);
    }

    private List<String> held() {
        return lockdep.heldLocks().stream().map(HeldLock::toString).toList();
    }

    @Test
    void mutexEntryPointsRecordTheHold() throws Exception {
        Mutex a = lockdep.newMutex(A, 2);
        assertEquals(2, a.subclass());
        assertEquals(A, a.lockClass());
        a.lockInterruptibly();
        assertEquals(List.of("test.a/2 (write)"), held());
        a.unlock();
        assertTrue(a.tryLock(1, TimeUnit.SECONDS));
        assertEquals(List.of("test.a/2 (write)"), held());
        a.unlock();
        assertTrue(a.tryLock());
        assertEquals(List.of("test.a/2 (write trylock)"), held());
        a.unlock();
        assertEquals(List.of(), held());
        a.lock();
        assertFalse(onThread("other", () -> a.tryLock()));
        assertFalse(onThread("other", () -> a.tryLock(1, TimeUnit.MILLISECONDS)));
        assertEquals(List.of("test.a/2 (write)"), held());
        a.unlock();
        assertClean(lockdep);
    }

    @Test
    void offModeSkipsEveryEntryPoint() throws Exception {
        Mutex a = lockdep.newMutex(A);
        RwLock rw = lockdep.newRwLock(B);
        lockdep.setMode(LockdepMode.OFF);
        a.lockInterruptibly();
        assertTrue(a.tryLock());
        assertTrue(a.tryLock(1, TimeUnit.SECONDS));
        a.unlock();
        a.unlock();
        a.unlock();
        for (Lock side : List.of(rw.readLock(), rw.writeLock())) {
            side.lockInterruptibly();
            assertTrue(side.tryLock());
            assertTrue(side.tryLock(1, TimeUnit.SECONDS));
            side.unlock();
            side.unlock();
            side.unlock();
        }
        Condition c = a.newCondition();
        a.lock();
        assertFalse(c.await(1, TimeUnit.MILLISECONDS));
        a.unlock();
        WaitPoint w = lockdep.newWaitPoint(A);
        w.beforeWait();
        w.work(() -> { });
        w.endWork();
        lockdep.mightSleep();
        lockdep.setMode(LockdepMode.WARN);
        assertEquals(List.of(), held());
        assertClean(lockdep);
    }

    @Test
    void rwLockEntryPointsRecordTheHold() throws Exception {
        RwLock rw = lockdep.newRwLock(B, 1);
        assertEquals(1, rw.subclass());
        assertEquals(B, rw.lockClass());
        rw.readLock().lockInterruptibly();
        assertTrue(rw.isReadLockedByCurrentThread());
        assertFalse(rw.isWriteLockedByCurrentThread());
        assertEquals(List.of("test.b/1 (read)"), held());
        rw.readLock().unlock();
        assertFalse(rw.isReadLockedByCurrentThread());
        assertTrue(rw.writeLock().tryLock(1, TimeUnit.SECONDS));
        assertTrue(rw.isWriteLockedByCurrentThread());
        assertTrue(rw.readLock().tryLock());
        assertEquals(List.of("test.b/1 (write)", "test.b/1 (read trylock reentrant)"), held());
        rw.readLock().unlock();
        rw.writeLock().unlock();
        assertTrue(rw.writeLock().tryLock());
        assertEquals(List.of("test.b/1 (write trylock)"), held());
        rw.writeLock().unlock();
        rw.writeLock().lockInterruptibly();
        assertFalse(onThread("other", () -> rw.readLock().tryLock()));
        assertFalse(onThread("other", () -> rw.readLock().tryLock(1, TimeUnit.MILLISECONDS)));
        rw.writeLock().unlock();
        assertTrue(rw.readLock().tryLock(1, TimeUnit.SECONDS));
        assertEquals(List.of("test.b/1 (read)"), held());
        rw.readLock().unlock();
        assertEquals(List.of(), held());
        assertClean(lockdep);
        assertThrows(UnsupportedOperationException.class, () -> rw.readLock().newCondition());
    }

    @Test
    void reentryOfAHeldLockCannotBlockSoItAddsNoDependency() {
        LockClass nestable = LockClass.of("test.nestable", LockClass.Flag.RECURSIVE);
        lockdep.register(nestable);
        RwLock x = lockdep.newRwLock(nestable);
        Mutex m = lockdep.newMutex(nestable, 1);
        Mutex b = lockdep.newMutex(B);
        x.writeLock().lock();
        m.lock();
        b.lock();
        x.writeLock().lock(); // re-entry under b: not "b, then x"
        m.lock();
        m.unlock();
        x.writeLock().unlock();
        b.unlock();
        m.unlock();
        x.writeLock().unlock();
        assertClean(lockdep);
        assertEquals(List.of("test.nestable -(EN)-> test.nestable/1", "test.nestable/1 -(EN)-> test.b"),
                lockdep.dependencies().stream().map(Dependency::toString).toList());
    }

    @Test
    void aBadUnlockNamesTheSubclass() {
        RwLock rw = lockdep.newRwLock(B, 1);
        assertThrows(IllegalMonitorStateException.class, () -> rw.writeLock().unlock());
        assertEquals(List.of("test.b/1"), lockdep.reports().get(0).lockNames());
    }

    @Test
    void aReadTrylockThatWouldUpgradeIsAPlainTrylock() {
        lockdep.setMode(LockdepMode.THROW);
        RwLock rw = lockdep.newRwLock(B);
        rw.readLock().lock();
        assertFalse(rw.writeLock().tryLock()); // fails, and is no upgrade report: a trylock never waits
        rw.readLock().unlock();
        assertClean(lockdep);
    }

    @Test
    void trylockInThrowModeGivesTheLockBackWhenItThrows() {
        lockdep.setMode(LockdepMode.THROW);
        RwLock rw = lockdep.newRwLock(B);
        rw.writeLock().lock();
        assertThrows(LockdepException.class, () -> rw.writeLock().tryLock());
        rw.writeLock().unlock();
        assertFalse(rw.isWriteLockedByCurrentThread());
    }

    @Test
    void badWriteUnlockByAnotherThreadNamesTheWriter() throws Exception {
        RwLock rw = lockdep.newRwLock(B);
        RwLock recursive = lockdep.newRwLock(R);
        for (RwLock lock : List.of(rw, recursive)) {
            lock.writeLock().lock();
            assertThrows(IllegalMonitorStateException.class, () -> onThread("thief", () -> lock.writeLock().unlock()));
            lock.writeLock().unlock();
        }
        assertEquals(List.of(Kind.BAD_UNLOCK, Kind.BAD_UNLOCK), kinds(lockdep));
        assertTrue(lockdep.reports().get(1).summary().contains("held by thread \"" + Thread.currentThread().getName()),
                lockdep.reports().get(1).summary());
    }

    @Test
    void locksOfAReleasedClassAreReportedForEveryLockType() {
        Object owner = new Object();
        LockClass gone = LockClass.of("test.gone");
        lockdep.forOwner(owner).register(gone);
        RwLock rw = lockdep.newRwLock(gone);
        ShadowLock shadow = lockdep.newShadowLock(gone);
        WaitPoint wait = lockdep.newWaitPoint(gone);
        rw.readLock().lock();
        rw.readLock().unlock();
        shadow.acquired();
        shadow.releasing();
        wait.beforeWait();
        assertClean(lockdep);
        lockdep.release(owner);
        rw.readLock().lock();
        rw.readLock().unlock();
        shadow.acquired();
        shadow.releasing();
        wait.beforeWait();
        assertEquals(List.of(Kind.UNREGISTERED_CLASS, Kind.UNREGISTERED_CLASS, Kind.UNREGISTERED_CLASS),
                kinds(lockdep));
    }

    @Test
    void everyConditionWaitReleasesAndRestoresTheHold() throws Exception {
        Mutex a = lockdep.newMutex(A);
        Condition c = a.newCondition();
        a.lock();
        try {
            assertTrue(c.awaitNanos(1_000) <= 0);
            assertEquals(1, held().size());
            assertFalse(c.await(1, TimeUnit.MILLISECONDS));
            assertEquals(1, held().size());
            assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() + 1)));
            assertEquals(1, held().size());
            CountDownLatch waiting = new CountDownLatch(1);
            Thread signaller = new Thread(() -> {
                try {
                    waiting.await();
                } catch (InterruptedException e) {
                    return;
                }
                a.lock();
                c.signalAll();
                a.unlock();
            });
            signaller.start();
            waiting.countDown();
            c.awaitUninterruptibly();
            assertEquals(1, held().size());
            signaller.join();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, c::await);
            assertEquals(1, held().size());
        } finally {
            a.unlock();
        }
        assertClean(lockdep);
    }

    @Test
    void waitForRunsTheWaitAndWorkRunsTheWork() throws Exception {
        WaitPoint w = lockdep.newWaitPoint(A);
        assertEquals(A, w.lockClass());
        boolean[] ran = new boolean[2];
        w.waitFor(() -> ran[0] = true);
        w.work(() -> ran[1] = true);
        assertTrue(ran[0] && ran[1]);
        assertThrows(java.io.IOException.class, () -> w.work(() -> {
            throw new java.io.IOException("work failed");
        }));
        assertEquals(List.of(), held());
        assertClean(lockdep);
    }

    @Test
    void shadowSubclassesAreValidatedAsNodes() {
        ShadowLock s1 = lockdep.newShadowLock(A, 1, null);
        ShadowLock s3 = lockdep.newShadowLock(A, 3, null);
        assertEquals(3, s3.subclass());
        s1.acquired();
        s3.acquired();
        s3.releasing();
        s1.releasing();
        assertClean(lockdep);
        assertEquals("test.a/1 -(EN)-> test.a/3", lockdep.dependencies().get(0).toString());
    }
}
