package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nested lane users (seed 000's recursion): threads take a lane, use it, and on the way ask for a lane
 * again, as a nested BTT write would. Each use claims the lane's owner slot with a token of its own, so
 * two uses of one lane at once (the outer and the nested one sharing a free block and a log slot) are
 * caught. The real pool refuses every nested acquisition with EDEADLK in every validator mode; the
 * negative control, the pool without the refusal, is caught handing the holder its own lane.
 */
class NestedLaneUseTest {
    static final int THREADS = 24;
    static final int ITERATIONS = 20;

    record Outcome(List<String> overlaps, long refused, List<Throwable> failures) {
    }

    static Outcome nested(LanePool pool) throws InterruptedException {
        AtomicReferenceArray<Object> owner = new AtomicReferenceArray<>(pool.count());
        List<String> overlaps = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicLong refused = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < ITERATIONS; i++) {
                        int outer = pool.acquire();
                        Object outerUse = new Object();
                        boolean mine = owner.compareAndSet(outer, null, outerUse);
                        if (!mine) {
                            overlaps.add("lane " + outer + " in use when acquired");
                        }
                        try {
                            int inner = pool.acquire();
                            Object innerUse = new Object();
                            if (!owner.compareAndSet(inner, null, innerUse)) {
                                overlaps.add("a nested user got lane " + inner + " while lane " + outer
                                        + " was its holder's");
                            } else {
                                owner.compareAndSet(inner, innerUse, null);
                            }
                            pool.release(inner);
                        } catch (NvdimmException e) {
                            if (e.errno() != Errno.EDEADLK) {
                                throw e;
                            }
                            refused.incrementAndGet();
                        }
                        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(10_000, 40_000));
                        if (mine) {
                            owner.compareAndSet(outer, outerUse, null);
                        }
                        pool.release(outer);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "nested-" + t);
            threads.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(30_000);
            assertFalse(th.isAlive(), th.getName() + " still running");
        }
        return new Outcome(overlaps, refused.get(), failures);
    }

    @ParameterizedTest
    @EnumSource(LockdepMode.class)
    void nestedUsersAreRefusedAndNeverShareALaneInEveryMode(LockdepMode mode) throws Exception {
        Lockdep lockdep = new Lockdep(mode, r -> { });
        RegionLocks.register(lockdep);
        for (LanePolicy policy : LanePolicy.values()) {
            Outcome o = nested(new MutexLanePool("region0", lockdep, 4, policy));
            assertEquals(List.of(), o.failures(), policy::toString);
            assertEquals(List.of(), o.overlaps(), policy::toString);
            assertEquals((long) THREADS * ITERATIONS, o.refused(), "every nested acquisition refused");
        }
        assertEquals(List.of(), lockdep.reports(), "refused before the validator saw a recursion");
    }

    /** The pool without the refusal, where the validator only reports (WARN) or is off. */
    @ParameterizedTest
    @EnumSource(value = LockdepMode.class, names = {"OFF", "WARN"})
    void negativeControlTheReentrantPoolHandsAHolderItsOwnLane(LockdepMode mode) throws Exception {
        Lockdep lockdep = new Lockdep(mode, r -> { });
        RegionLocks.register(lockdep);
        Outcome o = nested(new ReentrantLanePool(lockdep, 4));
        assertEquals(List.of(), o.failures());
        assertTrue(!o.overlaps().isEmpty(), "the stress test must catch a nested user on its holder's lane");
        assertEquals(0, o.refused());
    }
}
