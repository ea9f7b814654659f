package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.LockdepReport.Kind;
import nvdimm.lockdep.Mutex;
import nvdimm.region.LanePolicy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

    @Test
    void twoLanesOnOneThreadAreReportedAsRecursiveLockingNotADeadlock() {
        MutexLanePool p = pool(4, LanePolicy.ROUND_ROBIN);
        int a = p.acquire();
        LockdepException e = assertThrows(LockdepException.class, p::acquire);
        assertEquals(Kind.RECURSIVE_LOCKING, e.report().kind());
        assertEquals(List.of("nd_region.lane"), e.report().lockNames());
        p.release(a);
        // nothing stays held: the second lane was never taken
        assertEquals(List.of(), lockdep.heldLocks());
    }

    @Test
    void inWarnModeTheSecondLaneIsReportedAndTaken() {
        lockdep.setMode(LockdepMode.WARN);
        MutexLanePool p = pool(4, LanePolicy.ROUND_ROBIN);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int a = p.acquire();
            int b = p.acquire();
            p.release(b);
            p.release(a);
        });
        assertEquals(List.of(Kind.RECURSIVE_LOCKING), lockdep.reports().stream().map(LockdepReport::kind).toList());
    }

    @Test
    void theSameLaneTwiceOnOneThreadIsReportedToo() {
        MutexLanePool p = pool(1, LanePolicy.HASH);
        int a = p.acquire();
        LockdepException e = assertThrows(LockdepException.class, p::acquire);
        assertEquals(Kind.RECURSIVE_LOCKING, e.report().kind());
        p.release(a);
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
}
