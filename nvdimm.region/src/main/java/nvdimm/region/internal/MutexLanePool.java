package nvdimm.region.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * The lane pool of the 2026 fix (seed 000, v4 and later): an array of {@code count} validated mutexes
 * of class {@code nd_region.lane}, one per lane. {@link #acquire()} says it may sleep, picks a lane by
 * the policy and takes that lane's mutex unconditionally; the choice is only a hint for spreading.
 */
final class MutexLanePool implements LanePool {
    private final String region;
    private final Lockdep lockdep;
    private final LanePolicy policy;
    private final Mutex[] lanes;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @throws NvdimmException EINVAL for a count outside 1..{@value LanePool#MAX_LANES}
     */
    MutexLanePool(String region, Lockdep lockdep, int count, LanePolicy policy) {
        this.region = Objects.requireNonNull(region, "region");
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
        this.policy = Objects.requireNonNull(policy, "policy");
        if (count < 1 || count > MAX_LANES) {
            throw new NvdimmException(Errno.EINVAL, region + ": " + count + " lanes: a region needs 1 to " + MAX_LANES
                    + " lanes");
        }
        this.lanes = new Mutex[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = lockdep.newMutex(RegionLocks.LANE);
        }
    }

    @Override
    public int count() {
        return lanes.length;
    }

    @Override
    public LanePolicy policy() {
        return policy;
    }

    @Override
    public int acquire() {
        lockdep.mightSleep();
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, region + ": lanes: the region is disabled");
        }
        int lane = choose();
        lanes[lane].lock();
        return lane;
    }

    /** The lane the calling thread would be given now. */
    int choose() {
        return switch (policy) {
            case HASH -> (int) Math.floorMod(Thread.currentThread().threadId(), (long) lanes.length);
            case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), lanes.length);
        };
    }

    @Override
    public void release(int lane) {
        if (lane < 0 || lane >= lanes.length) {
            throw new NvdimmException(Errno.EINVAL, region + ": lane " + lane + " does not exist (there are "
                    + lanes.length + ")");
        }
        Mutex m = lanes[lane];
        if (!m.isHeldByCurrentThread()) {
            throw new NvdimmException(Errno.EINVAL, region + ": lane " + lane + " is not held by "
                    + Thread.currentThread().getName());
        }
        m.unlock();
    }

    /** New acquisitions fail with ENXIO; holders may still release. */
    void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return region + " lanes[" + lanes.length + ", " + policy.configValue() + "]";
    }
}
