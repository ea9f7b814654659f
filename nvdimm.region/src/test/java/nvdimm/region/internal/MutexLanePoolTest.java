package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport.Kind;
import nvdimm.lockdep.Mutex;
import nvdimm.region.LanePolicy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MutexLanePoolTest {
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    @BeforeEach
    void register() {
        RegionLocks.register(lockdep);
    }

    MutexLanePool pool(int lanes, LanePolicy policy) {
        return new MutexLanePool("region0", lockdep, lanes, policy);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 257})
    void aLaneCountOutside1To256IsRefused(int lanes) {
        NvdimmException e = assertThrows(NvdimmException.class, () -> pool(lanes, LanePolicy.HASH));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("region0: " + lanes + " lanes: a region needs 1 to 256 lanes (EINVAL)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 256})
    void oneAnd256LanesAreFine(int lanes) {
        MutexLanePool p = pool(lanes, LanePolicy.HASH);
        assertEquals(lanes, p.count());
        int lane = p.acquire();
        assertTrue(lane >= 0 && lane < lanes);
        p.release(lane);
    }

    @Test
    void hashGivesAThreadTheSameLaneEveryTimeAndSpreadsThreads() throws Exception {
        MutexLanePool p = pool(8, LanePolicy.HASH);
        assertEquals(LanePolicy.HASH, p.policy());
        int first = p.acquire();
        p.release(first);
        for (int i = 0; i < 50; i++) {
            int lane = p.acquire();
            p.release(lane);
            assertEquals(first, lane, "a thread's hint is stable");
        }
        // consecutive threads (like consecutive CPUs) get different lanes
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < 8; t++) {
            int[] got = new int[1];
            Thread th = new Thread(() -> {
                got[0] = p.acquire();
                p.release(got[0]);
            });
            th.start();
            th.join();
            seen.add(got[0]);
        }
        assertTrue(seen.size() >= 4, () -> "8 threads got only lanes " + seen);
    }

    @Test
    void roundRobinSpreadsConsecutiveAcquisitionsOfOneThread() {
        MutexLanePool p = pool(4, LanePolicy.ROUND_ROBIN);
        List<Integer> lanes = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int lane = p.acquire();
            p.release(lane);
            lanes.add(lane);
        }
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3, 0), lanes);
    }

    /**
     * Seed 000's bug in Java form: the lane mutex is re-entrant, so a holder asking again would get its
     * own lane back and two nested users would share the lane's free block and log slot. A second
     * acquisition by a lane holder is refused with EDEADLK in every validator mode, before it waits, and
     * nothing more is taken.
     */
    @ParameterizedTest(name = "{0}, {1} lanes, {2}")
    @CsvSource({"OFF, 1, hash", "WARN, 1, hash", "THROW, 1, hash", "OFF, 4, round-robin", "WARN, 4, round-robin",
            "THROW, 4, round-robin"})
    void aLaneHolderAskingForAnotherLaneIsRefusedInEveryMode(LockdepMode mode, int lanes, String policy) {
        lockdep.setMode(mode);
        MutexLanePool p = pool(lanes, LanePolicy.parse(policy));
        int a = p.acquire();
        List<HeldLock> held = lockdep.heldLocks();
        // on this thread: the old pool handed the lane back at once (1 lane) or took a second one
        NvdimmException e = assertThrows(NvdimmException.class, p::acquire);
        assertEquals(Errno.EDEADLK, e.errno());
        assertEquals("region0: lanes: " + Thread.currentThread().getName() + " already holds lane " + a
                + " of region0; a thread holds one lane at a time (EDEADLK)", e.getMessage());
        assertEquals(held, lockdep.heldLocks(), "nothing more is taken");
        p.release(a);
        assertEquals(List.of(), lockdep.heldLocks());
        // released: the thread may acquire again
        p.release(p.acquire());
        assertEquals(List.of(), lockdep.reports(), "refused before the validator sees a recursion");
    }

    /** The lane mutex itself is re-entrant: only the pool stands between a holder and its own lane. */
    @ParameterizedTest
    @EnumSource(LockdepMode.class)
    void theSameLaneIsNeverHandedOutTwiceEvenWhenTheHolderRetries(LockdepMode mode) {
        lockdep.setMode(mode);
        MutexLanePool p = pool(1, LanePolicy.HASH);
        int a = p.acquire();
        for (int i = 0; i < 3; i++) {
            assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, p::acquire).errno());
        }
        p.release(a);
        // one release was enough: the lane is free for another thread
        AtomicInteger got = new AtomicInteger(-1);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Thread t = new Thread(() -> {
                got.set(p.acquire());
                p.release(got.get());
            });
            t.start();
            t.join();
        });
        assertEquals(0, got.get());
    }

    /** A thread never holds two lanes, of one region or of two (two regions' lanes in opposite orders deadlock). */
    @ParameterizedTest
    @EnumSource(LockdepMode.class)
    void aLaneHolderIsRefusedALaneOfAnotherRegionToo(LockdepMode mode) {
        lockdep.setMode(mode);
        MutexLanePool p0 = pool(4, LanePolicy.HASH);
        MutexLanePool p1 = new MutexLanePool("region1", lockdep, 4, LanePolicy.HASH);
        int a = p0.acquire();
        NvdimmException e = assertThrows(NvdimmException.class, p1::acquire);
        assertEquals(Errno.EDEADLK, e.errno());
        assertTrue(e.getMessage().startsWith("region1: lanes: " + Thread.currentThread().getName()
                + " already holds lane " + a + " of region0"), e.getMessage());
        p0.release(a);
        p1.release(p1.acquire());
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void aLaneReleasedAfterThePoolClosedLetsTheThreadAcquireElsewhere() {
        MutexLanePool p0 = pool(2, LanePolicy.HASH);
        MutexLanePool p1 = new MutexLanePool("region1", lockdep, 2, LanePolicy.HASH);
        int a = p0.acquire();
        p0.close();
        p0.release(a);
        p1.release(p1.acquire());
    }

    @Test
    void anAcquisitionTheValidatorRefusesLeavesNoLaneRecordedAsHeld() {
        LockClass spin = LockClass.of("test.spin2", LockClass.Flag.ATOMIC);
        lockdep.register(spin);
        Mutex s = lockdep.newMutex(spin);
        MutexLanePool p = pool(2, LanePolicy.HASH);
        s.lock();
        try {
            assertThrows(LockdepException.class, p::acquire);
        } finally {
            s.unlock();
        }
        p.release(p.acquire()); // not refused as a second lane
    }

    @Test
    void acquireMightSleepSoAnAtomicLockHeldIsReported() {
        LockClass spin = LockClass.of("test.spin", LockClass.Flag.ATOMIC);
        lockdep.register(spin);
        Mutex s = lockdep.newMutex(spin);
        MutexLanePool p = pool(2, LanePolicy.HASH);
        s.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, p::acquire);
            assertEquals(Kind.SLEEP_IN_ATOMIC, e.report().kind());
        } finally {
            s.unlock();
        }
        assertEquals(List.of(), lockdep.heldLocks(), "no lane left held");
        p.close(); // said before anything else: even a closed pool's acquire is reported under a spinlock
        s.lock();
        try {
            assertEquals(Kind.SLEEP_IN_ATOMIC, assertThrows(LockdepException.class, p::acquire).report().kind());
        } finally {
            s.unlock();
        }
    }

    @Test
    void aLaneIsExclusiveAcrossThreads() throws Exception {
        MutexLanePool p = pool(1, LanePolicy.HASH);
        int lane = p.acquire();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger got = new AtomicInteger(-1);
        Thread other = new Thread(() -> {
            started.countDown();
            got.set(p.acquire());
            p.release(got.get());
        });
        other.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertEquals(-1, got.get(), "the other thread waits for the lane");
        p.release(lane);
        other.join(5000);
        assertEquals(0, got.get());
    }

    @Test
    void releaseRefusesLanesOutOfRangeAndLanesNotHeld() throws Exception {
        MutexLanePool p = pool(2, LanePolicy.HASH);
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> p.release(2)).errno());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> p.release(-1)).errno());
        NvdimmException notHeld = assertThrows(NvdimmException.class, () -> p.release(0));
        assertEquals(Errno.EINVAL, notHeld.errno());
        assertTrue(notHeld.getMessage().contains("lane 0 is not held"), notHeld.getMessage());
        // held by another thread: still refused here
        int[] lane = new int[1];
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            lane[0] = p.acquire();
            held.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.release(lane[0]);
        });
        t.start();
        assertTrue(held.await(5, TimeUnit.SECONDS));
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> p.release(lane[0])).errno());
        done.countDown();
        t.join(5000);
        assertFalse(t.isAlive());
    }

    @Test
    void aClosedPoolRefusesNewAcquisitionsButLetsHoldersRelease() {
        MutexLanePool p = pool(2, LanePolicy.ROUND_ROBIN);
        int lane = p.acquire();
        p.close();
        NvdimmException e = assertThrows(NvdimmException.class, p::acquire);
        assertEquals(Errno.ENXIO, e.errno());
        p.release(lane);
        assertEquals("region0 lanes[2, round-robin]", p.toString());
    }

    /** A BTT arena with nfree below the region's lanes indexes its per-lane state by lane: it takes a view. */
    @ParameterizedTest
    @ValueSource(strings = {"sticky", "hash", "round-robin"})
    void aLimitedViewHandsOutOnlyItsLanesAndSharesTheirLocks(String policy) throws Exception {
        MutexLanePool p = pool(8, LanePolicy.parse(policy));
        nvdimm.region.LanePool view = p.limit(3);
        assertEquals(3, view.count());
        assertEquals(p.policy(), view.policy());
        assertEquals("region0 lanes[3 of 8, " + policy + "]", view.toString());
        Set<Integer> seen = new HashSet<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 4; i++) {
                    int lane = view.acquire();
                    synchronized (seen) {
                        seen.add(lane);
                    }
                    view.release(lane);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertTrue(Set.of(0, 1, 2).containsAll(seen), seen::toString);
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> view.release(3)).errno());
        // two views share the pool's lane 0: a holder of one makes a caller of the other wait
        nvdimm.region.LanePool first = p.limit(1);
        assertEquals(0, first.acquire());
        AtomicInteger other = new AtomicInteger(-1);
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            nvdimm.region.LanePool second = p.limit(1);
            started.countDown();
            other.set(second.acquire());
            second.release(other.get());
        });
        t.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertEquals(-1, other.get(), "lane 0 of another view waits for this one");
        first.release(0);
        t.join(5000);
        assertEquals(0, other.get());
    }

    @Test
    void aLimitOfTheCountOrMoreIsThePoolItselfAndBelowOneIsRefused() {
        MutexLanePool p = pool(4, LanePolicy.STICKY);
        assertSame(p, p.limit(4));
        assertSame(p, p.limit(256));
        NvdimmException e = assertThrows(NvdimmException.class, () -> p.limit(0));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("region0: lanes: a limit of 0 lanes: a consumer needs at least 1 (EINVAL)", e.getMessage());
    }

    @Test
    void closingThePoolClosesItsViews() {
        MutexLanePool p = pool(4, LanePolicy.HASH);
        nvdimm.region.LanePool view = p.limit(2);
        int lane = view.acquire();
        p.close();
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, view::acquire).errno());
        view.release(lane);
    }

    @Test
    void aViewHolderIsRefusedALaneOfThePoolToo() {
        MutexLanePool p = pool(4, LanePolicy.ROUND_ROBIN);
        nvdimm.region.LanePool view = p.limit(2);
        int lane = view.acquire();
        assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, p::acquire).errno());
        assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, view::acquire).errno());
        view.release(lane);
    }
}
