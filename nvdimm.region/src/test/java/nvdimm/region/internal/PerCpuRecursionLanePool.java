package nvdimm.region.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;

import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * The lane code before the 2026 fix (seed 000, the removed lines), for negative controls only. Java has
 * no CPUs a thread is pinned to, so each thread gets a virtual "CPU", {@code threadId % NR_CPUS}, shared
 * with other threads exactly as a CPU is shared by preemptible tasks after 36c75ce3bd29:
 * <ul>
 * <li>fewer lanes than CPUs: lane = cpu % lanes, and a per-CPU recursion count decides whether to take
 * the lane lock: only the 0 -> 1 transition locks, so a second task on the same CPU "looks recursive"
 * and skips the lock;</li>
 * <li>as many lanes as CPUs or more: lane = cpu and no lock at all.</li>
 * </ul>
 * The lane locks are spinlock-like (a semaphore: whoever drops the count to 0 unlocks).
 */
final class PerCpuRecursionLanePool implements LanePool {
    static final int NR_CPUS = 8;

    private final Semaphore[] locks;
    private final AtomicIntegerArray count = new AtomicIntegerArray(NR_CPUS);

    PerCpuRecursionLanePool(int lanes) {
        locks = new Semaphore[lanes];
        for (int i = 0; i < lanes; i++) {
            locks[i] = new Semaphore(1);
        }
    }

    private static int cpu() {
        return (int) (Thread.currentThread().threadId() % NR_CPUS);
    }

    @Override
    public int count() {
        return locks.length;
    }

    @Override
    public LanePolicy policy() {
        return LanePolicy.HASH;
    }

    /** The old code had no views; a smaller pool of the same kind is what a capped consumer would get. */
    @Override
    public LanePool limit(int maxLanes) {
        return maxLanes >= locks.length ? this : new PerCpuRecursionLanePool(maxLanes);
    }

    @Override
    public int acquire() {
        int cpu = cpu();
        if (locks.length < NR_CPUS) {
            int lane = cpu % locks.length;
            if (count.getAndIncrement(cpu) == 0) {
                locks[lane].acquireUninterruptibly();
            }
            return lane;
        }
        return cpu;
    }

    @Override
    public void release(int lane) {
        int cpu = cpu();
        if (locks.length < NR_CPUS) {
            if (count.decrementAndGet(cpu) == 0) {
                locks[lane].release();
            }
        }
    }
}
