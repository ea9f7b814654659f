package nvdimm.region.internal;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The lane choice of {@link nvdimm.region.LanePolicy#STICKY}: each thread keeps one lane, given on its
 * first acquisition to a lane with the fewest live threads (the lowest such lane, so threads arriving
 * one by one go round the lanes in order). Threads up to the lane count never share a lane; beyond it,
 * the lanes' thread counts differ by at most one. A dead thread's place is given back when the next
 * thread arrives; {@link #close()} gives back every place.
 *
 * <p>Per acquisition this costs one thread-local read and allocates nothing; a thread's first
 * acquisition allocates its record and walks the records of the threads seen so far. Virtual threads,
 * usually one per task, would pay that per task, so they take the lanes in turn instead (a shared
 * counter, as {@link nvdimm.region.LanePolicy#ROUND_ROBIN}).
 */
final class StickyLanes {
    /** A thread's place: its lane, given back once. */
    private static final class Place {
        final WeakReference<Thread> thread;
        final int lane;
        private final AtomicBoolean given = new AtomicBoolean();

        Place(Thread thread, int lane) {
            this.thread = new WeakReference<>(thread);
            this.lane = lane;
        }

        boolean isDead() {
            Thread t = thread.get();
            return t == null || !t.isAlive();
        }

        /** True for the one caller that gives the place back. */
        boolean giveBack() {
            return given.compareAndSet(false, true);
        }
    }

    /** The calling thread's lane; a JDK type, so that a thread keeps no class of this bundle reachable. */
    private final ThreadLocal<Integer> lane = new ThreadLocal<>();
    /** Live threads per lane. */
    private final AtomicIntegerArray threads;
    private final ConcurrentLinkedQueue<Place> places = new ConcurrentLinkedQueue<>();
    /** The turn of the next virtual thread. */
    private final AtomicInteger nextVirtual = new AtomicInteger();

    StickyLanes(int count) {
        this.threads = new AtomicIntegerArray(count);
    }

    /** The calling thread's lane, given now if it has none. */
    int laneOfCurrentThread() {
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            return Math.floorMod(nextVirtual.getAndIncrement(), threads.length());
        }
        Integer mine = lane.get();
        return mine != null ? mine : place(me);
    }

    /** How many live threads hold a place on the lane (for tests and the benchmark). */
    int threadsOn(int l) {
        return threads.get(l);
    }

    /** Gives back every place: the threads get new ones if they come back. */
    void close() {
        for (Iterator<Place> it = places.iterator(); it.hasNext();) {
            Place p = it.next();
            if (p.giveBack()) {
                threads.decrementAndGet(p.lane);
            }
            it.remove();
        }
    }

    private int place(Thread me) {
        giveBackDead();
        int chosen = leastUsed();
        places.add(new Place(me, chosen));
        lane.set(chosen);
        return chosen;
    }

    private void giveBackDead() {
        for (Iterator<Place> it = places.iterator(); it.hasNext();) {
            Place p = it.next();
            if (p.isDead()) {
                if (p.giveBack()) {
                    threads.decrementAndGet(p.lane);
                }
                it.remove();
            }
        }
    }

    /**
     * Takes a place on a lane with the fewest threads. The compare-and-set fails when another thread
     * took a place on that lane meanwhile, and the search starts again, so two threads arriving together
     * never both take the last empty lane while another is empty.
     */
    private int leastUsed() {
        int n = threads.length();
        for (;;) {
            int best = 0;
            int min = threads.get(0);
            for (int i = 1; i < n && min > 0; i++) {
                int v = threads.get(i);
                if (v < min) {
                    min = v;
                    best = i;
                }
            }
            if (threads.compareAndSet(best, min, min + 1)) {
                return best;
            }
        }
    }
}
