package nvdimm.region.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * The lane pool of the 2026 fix (seed 000, v4 and later) over a region's {@link LaneLocks}.
 * {@link #acquire()} says it may sleep, refuses a thread that holds a lane already, picks a lane by the
 * policy and takes that lane's mutex unconditionally; the choice is only a hint for spreading.
 *
 * <p>Public for the benchmarks in {@code bench}; the package is not exported.
 */
public final class MutexLanePool implements LanePool {
    private final LaneLocks locks;
    private final int count;
    private final LanePolicy policy;
    private final AtomicInteger next = new AtomicInteger();
    /** The sticky places, for {@link LanePolicy#STICKY} only. */
    private final StickyLanes sticky;

    /** Registers the lane lock class with a validator (the region component does it for the bundle). */
    public static void registerLockClasses(Lockdep lockdep) {
        RegionLocks.register(lockdep);
    }

    /**
     * A pool of its own lanes (a region's, or the benchmark's).
     *
     * @param owner the name in messages, the region's name
     * @throws NvdimmException EINVAL for a count outside 1..{@value LanePool#MAX_LANES}
     */
    public MutexLanePool(String owner, Lockdep lockdep, int count, LanePolicy policy) {
        this(new LaneLocks(owner, lockdep, count), count, policy);
    }

    /** Registers the lane lock class with a validator, as the region driver does; for the benchmarks. */
    public static void registerLockClass(Lockdep lockdep) {
        RegionLocks.register(lockdep);
    }

    private MutexLanePool(LaneLocks locks, int count, LanePolicy policy) {
        this.locks = locks;
        this.count = count;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sticky = policy == LanePolicy.STICKY ? new StickyLanes(count) : null;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public LanePolicy policy() {
        return policy;
    }

    /**
     * @throws NvdimmException ENXIO when the region has been disabled; EDEADLK when the calling thread
     *     holds a lane already (of this region or another), in every validator mode
     */
    @Override
    public int acquire() {
        AtomicReference<LaneLocks> held = locks.admit();
        int lane = choose();
        locks.lock(held, lane);
        return lane;
    }

    /** The lane the calling thread would be given now. */
    int choose() {
        return switch (policy) {
            case STICKY -> sticky.laneOfCurrentThread();
            case HASH -> (int) Math.floorMod(Thread.currentThread().threadId(), (long) count);
            case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), count);
        };
    }

    @Override
    public void release(int lane) {
        locks.unlock(lane, count);
    }

    /**
     * @throws NvdimmException EINVAL for a limit below 1
     */
    @Override
    public LanePool limit(int maxLanes) {
        if (maxLanes < 1) {
            throw new NvdimmException(Errno.EINVAL, locks.region() + ": lanes: a limit of " + maxLanes
                    + " lanes: a consumer needs at least 1");
        }
        return maxLanes >= count ? this : new MutexLanePool(locks, maxLanes, policy);
    }

    /** How many live threads keep the lane under {@link LanePolicy#STICKY}; 0 under the other policies. */
    public int threadsOn(int lane) {
        return sticky == null ? 0 : sticky.threadsOn(lane);
    }

    /**
     * New acquisitions fail with ENXIO, in this pool and every view of its lanes; holders may still
     * release. This pool's sticky places are given back.
     */
    public void close() {
        locks.close();
        if (sticky != null) {
            sticky.close();
        }
    }

    @Override
    public String toString() {
        return locks.region() + " lanes[" + count + (count < locks.count() ? " of " + locks.count() : "") + ", "
                + policy.configValue() + "]";
    }
}
