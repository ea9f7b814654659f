package nvdimm.lockdep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Guava issue 2048: two threads that each hold one lock and then ask for the other's can both decide
 * their new edge is safe if the check and the insertion are not atomic, and then really deadlock. Here
 * both threads hold their first lock at a barrier and then take the second at the same moment; in THROW
 * mode at least one must be refused (which also keeps the test from deadlocking), every time.
 */
class ConcurrentEdgeRaceTest {
    private static final int ROUNDS = 1000;
    private static final LockClass A = LockClass.of("race.a");
    private static final LockClass B = LockClass.of("race.b");

    @Test
    void oppositeEdgesAddedAtTheSameMomentAreNeverBothMissed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int refusedTotal = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
                lockdep.register(A, B);
                Mutex a = lockdep.newMutex(A);
                Mutex b = lockdep.newMutex(B);
                CyclicBarrier bothHold = new CyclicBarrier(2);
                Future<Boolean> first = pool.submit(() -> takeBoth(a, b, bothHold));
                Future<Boolean> second = pool.submit(() -> takeBoth(b, a, bothHold));
                int refused = (first.get(10, TimeUnit.SECONDS) ? 0 : 1) + (second.get(10, TimeUnit.SECONDS) ? 0 : 1);
                assertTrue(refused >= 1, "round " + round + ": the cycle was missed");
                assertEquals(1, lockdep.reports().size(), "round " + round);
                refusedTotal += refused;
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(refusedTotal >= ROUNDS);
    }

    /** Holds {@code outer}, waits for the other thread to hold its lock, then takes {@code inner}. */
    private static boolean takeBoth(Mutex outer, Mutex inner, CyclicBarrier bothHold) throws Exception {
        outer.lock();
        try {
            bothHold.await(10, TimeUnit.SECONDS);
            inner.lock();
            inner.unlock();
            return true;
        } catch (LockdepException refused) {
            return false;
        } finally {
            outer.unlock();
        }
    }
}
