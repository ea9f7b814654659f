package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LanePolicy#STICKY} through {@link MutexLanePool}: places, spreading, dead threads, closing. */
class StickyLanesTest {
    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });

    @BeforeEach
    void register() {
        RegionLocks.register(lockdep);
    }

    MutexLanePool pool(int lanes) {
        return new MutexLanePool("region0", lockdep, lanes, LanePolicy.STICKY);
    }

    static int lane(MutexLanePool p) {
        int lane = p.acquire();
        p.release(lane);
        return lane;
    }

    /** Starts {@code n} threads that each take a lane and stay alive until {@code leave} opens. */
    static List<Thread> arrive(MutexLanePool p, int n, List<Integer> got, CountDownLatch leave) throws Exception {
        List<Thread> threads = new ArrayList<>();
        CountDownLatch placed = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                got.add(lane(p));
                placed.countDown();
                try {
                    leave.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
            t.start();
        }
        assertTrue(placed.await(10, TimeUnit.SECONDS));
        return threads;
    }

    @Test
    void aThreadKeepsItsLaneAndThreadsArrivingInTurnGoRoundTheLanes() throws Exception {
        MutexLanePool p = pool(4);
        int mine = lane(p);
        for (int i = 0; i < 20; i++) {
            assertEquals(mine, lane(p));
        }
        List<Integer> got = new CopyOnWriteArrayList<>();
        CountDownLatch leave = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // one by one, so the order is known
            threads.addAll(arrive(p, 1, got, leave));
        }
        assertEquals(List.of(1, 2, 3, 0, 1), got.subList(0, 5), "the lanes with fewest threads, lowest first");
        assertEquals(List.of(2, 2, 1, 1), List.of(p.threadsOn(0), p.threadsOn(1), p.threadsOn(2), p.threadsOn(3)));
        leave.countDown();
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    @Test
    void threadsArrivingTogetherNeverShareALaneWhileThereAreEnough() throws Exception {
        MutexLanePool p = pool(64);
        List<Integer> got = new CopyOnWriteArrayList<>();
        CountDownLatch leave = new CountDownLatch(1);
        List<Thread> threads = arrive(p, 64, got, leave);
        assertEquals(64, got.stream().distinct().count(), got::toString);
        // more threads than lanes: the counts differ by one at most
        List<Thread> more = arrive(p, 40, got, leave);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int l = 0; l < 64; l++) {
            min = Math.min(min, p.threadsOn(l));
            max = Math.max(max, p.threadsOn(l));
        }
        assertEquals(1, min);
        assertEquals(2, max);
        leave.countDown();
        for (Thread t : threads) {
            t.join(5000);
        }
        for (Thread t : more) {
            t.join(5000);
        }
    }

    @Test
    void aDeadThreadsPlaceIsGivenBackWhenTheNextThreadArrives() throws Exception {
        MutexLanePool p = pool(2);
        List<Integer> got = new CopyOnWriteArrayList<>();
        CountDownLatch leave = new CountDownLatch(1);
        CountDownLatch stay = new CountDownLatch(1);
        List<Thread> dying = arrive(p, 1, got, leave); // lane 0
        List<Thread> staying = arrive(p, 1, got, stay); // lane 1
        assertEquals(List.of(0, 1), got);
        leave.countDown();
        dying.get(0).join(5000);
        assertEquals(1, p.threadsOn(0), "counted until someone arrives");
        List<Thread> next = arrive(p, 1, got, leave); // takes the dead thread's lane, not a shared one
        assertEquals(0, got.get(2));
        assertEquals(1, p.threadsOn(0));
        assertEquals(1, p.threadsOn(1));
        stay.countDown();
        staying.get(0).join(5000);
        next.get(0).join(5000);
    }

    @Test
    void closingGivesEveryPlaceBack() throws Exception {
        MutexLanePool p = pool(3);
        lane(p);
        assertEquals(1, p.threadsOn(0));
        p.close();
        assertEquals(0, p.threadsOn(0));
    }

    @Test
    void virtualThreadsTakeTheLanesInTurn() throws Exception {
        MutexLanePool p = pool(4);
        List<Integer> got = new CopyOnWriteArrayList<>();
        Thread v = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 6; i++) {
                got.add(lane(p));
            }
        });
        v.join(5000);
        assertEquals(List.of(0, 1, 2, 3, 0, 1), got);
        assertEquals(0, p.threadsOn(0), "no place kept for a virtual thread");
    }

    @Test
    void eachPoolGivesPlacesOfItsOwn() throws Exception {
        MutexLanePool a = pool(4);
        MutexLanePool b = new MutexLanePool("region1", lockdep, 4, LanePolicy.STICKY);
        List<Integer> got = new CopyOnWriteArrayList<>();
        CountDownLatch leave = new CountDownLatch(1);
        List<Thread> other = arrive(a, 1, got, leave); // lane 0 of a
        assertEquals(1, lane(a));
        assertEquals(0, lane(b), "b counts its own threads");
        assertNotEquals(0, lane(a));
        leave.countDown();
        other.get(0).join(5000);
    }

    /** Per acquisition: a thread-local read and the lane's lock, nothing allocated (the data path). */
    @Test
    void anAcquisitionAfterTheFirstAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        MutexLanePool p = pool(8);
        for (int i = 0; i < 20_000; i++) { // the first places the thread; the rest warm up
            lane(p);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            lane(p);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, () -> allocated + " bytes for 100000 acquisitions");
    }
}
