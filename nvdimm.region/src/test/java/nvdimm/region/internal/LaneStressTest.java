package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.Medium;
import nvdimm.bus.Media;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In the spirit of ndctl's btt-stress: far more threads than lanes, each holding its lane across a short
 * sleep and a region flush that sleeps (an asynchronous provider flush, as virtio-pmem's), checking that
 * no other thread uses the lane meanwhile (an owner slot per lane, claimed and given back by CAS). The
 * negative control runs the same workload on the pre-fix lane code, which must be caught.
 */
class LaneStressTest {
    static final int THREADS = 96;
    static final int ITERATIONS = 16;

    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    final Medium medium = Media.memory("stress", 1 << 16);
    /** The provider's flush: acknowledged asynchronously 20 µs later. */
    final Executor host = CompletableFuture.delayedExecutor(20, TimeUnit.MICROSECONDS);
    RegionFlush flush;

    @BeforeEach
    void setUp() {
        RegionLocks.register(lockdep);
        flush = new RegionFlush("region0", medium, () -> CompletableFuture.runAsync(() -> { }, host),
                PersistenceDomain.UNKNOWN, lockdep);
    }

    @AfterEach
    void close() {
        medium.close();
    }

    record Outcome(long acquisitions, List<String> overlaps, int lanesUsed) {
    }

    /** Runs the workload: every thread acquires, checks, sleeps, flushes, gives back, releases. */
    Outcome stress(LanePool pool) {
        AtomicReferenceArray<Thread> owner = new AtomicReferenceArray<>(pool.count());
        AtomicIntegerArray used = new AtomicIntegerArray(pool.count());
        List<String> overlaps = new CopyOnWriteArrayList<>();
        AtomicLong acquisitions = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < ITERATIONS; i++) {
                        int lane = pool.acquire();
                        acquisitions.incrementAndGet();
                        used.incrementAndGet(lane);
                        Thread me = Thread.currentThread();
                        Thread other = owner.get(lane);
                        boolean mine = owner.compareAndSet(lane, null, me);
                        if (!mine) {
                            overlaps.add(me.getName() + " got lane " + lane + " while " + other + " held it");
                        }
                        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 80_000));
                        flush.flush(); // a lane may be held across a sleeping flush
                        if (mine && !owner.compareAndSet(lane, me, null)) {
                            overlaps.add(me.getName() + " lost lane " + lane + " while holding it");
                        }
                        pool.release(lane);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "lane-stress-" + t);
            threads.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : threads) {
            try {
                th.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertTrue(!th.isAlive(), th.getName() + " still running");
        }
        assertEquals(List.of(), failures);
        int lanesUsed = 0;
        for (int i = 0; i < used.length(); i++) {
            lanesUsed += used.get(i) > 0 ? 1 : 0;
        }
        return new Outcome(acquisitions.get(), overlaps, lanesUsed);
    }

    @ParameterizedTest(name = "{0} lanes, {1}")
    @CsvSource({"1, sticky", "2, sticky", "256, sticky", "1, hash", "2, hash", "256, hash", "1, round-robin",
            "2, round-robin", "256, round-robin"})
    void theMutexLanePoolNeverLetsTwoThreadsShareALane(int lanes, String policy) {
        MutexLanePool pool = new MutexLanePool("region0", lockdep, lanes, LanePolicy.parse(policy));
        Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> stress(pool));
        assertEquals(List.of(), o.overlaps());
        assertEquals((long) THREADS * ITERATIONS, o.acquisitions());
        assertEquals(List.of(), lockdep.reports(), "lanes held across a flush, one per thread: no report");
        if (lanes == 256) {
            assertTrue(o.lanesUsed() >= THREADS / 2, () -> policy + " spread " + THREADS + " threads over only "
                    + o.lanesUsed() + " lanes");
        } else {
            assertEquals(lanes, o.lanesUsed());
        }
    }

    /** A consumer capped below the region's lanes (a BTT's nfree) gets only its lanes, never shared. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sticky", "hash", "round-robin"})
    void aLimitedViewNeverLetsTwoThreadsShareALaneNorLeavesItsLanes(String policy) {
        MutexLanePool pool = new MutexLanePool("region0", lockdep, 256, LanePolicy.parse(policy));
        LanePool view = pool.limit(7);
        Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> stress(view));
        assertEquals(List.of(), o.overlaps());
        assertEquals((long) THREADS * ITERATIONS, o.acquisitions());
        assertEquals(7, o.lanesUsed());
        assertEquals(List.of(), lockdep.reports());
    }

    /** Seed 000's bug: the per-CPU recursion count (fewer lanes than CPUs) or no lock at all (more lanes). */
    @ParameterizedTest(name = "{0} lanes")
    @ValueSource(ints = {1, 2, 256})
    void negativeControlThePerCpuRecursionPoolIsCaughtSharingLanes(int lanes) {
        PerCpuRecursionLanePool pool = new PerCpuRecursionLanePool(lanes);
        Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> stress(pool));
        assertTrue(!o.overlaps().isEmpty(), "the stress test must catch two threads on one lane");
        assertEquals((long) THREADS * ITERATIONS, o.acquisitions());
    }
}
