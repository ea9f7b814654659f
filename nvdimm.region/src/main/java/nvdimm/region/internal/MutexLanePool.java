package nvdimm.region.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * The lane pool of the 2026 fix (seed 000, v4 and later) over a region's {@link LaneLocks}.
 * {@link #acquire()} says it may sleep, refuses a thread that holds a lane already, picks a lane by the
 * policy and takes that lane's mutex unconditionally; the choice is only a hint for spreading.
 */
final class MutexLanePool implements LanePool {
    private final LaneLocks locks;
    private final LanePolicy policy;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @throws NvdimmException EINVAL for a count outside 1..{@value LanePool#MAX_LANES}
     */
    MutexLanePool(String region, Lockdep lockdep, int count, LanePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.locks = new LaneLocks(region, lockdep, count);
    }

    @Override
    public int count() {
        return locks.count();
    }

    @Override
    public LanePolicy policy() {
        return policy;
    }

    /**
     * @throws NvdimmException EDEADLK when the calling thread holds a lane already (of this region or
     *     another), in every validator mode; ENXIO when the region has been disabled
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
            case HASH -> (int) Math.floorMod(Thread.currentThread().threadId(), (long) count());
            case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), count());
        };
    }

    @Override
    public void release(int lane) {
        locks.unlock(lane, count());
    }

    /** New acquisitions fail with ENXIO; holders may still release. */
    void close() {
        locks.close();
    }

    @Override
    public String toString() {
        return locks.region() + " lanes[" + count() + ", " + policy.configValue() + "]";
    }
}
