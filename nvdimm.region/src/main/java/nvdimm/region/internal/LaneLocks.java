package nvdimm.region.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.region.LanePool;

/**
 * A region's lane locks (seed 000, v4 and later: an array of mutexes, one per lane, taken
 * unconditionally), shared by the region's {@link MutexLanePool} and its limited views, and the rule
 * that a thread holds one lane at a time. The validated mutexes are re-entrant underneath, so a holder
 * asking again would get its own lane back and two nested users would share one free block and one log
 * slot; the refusal lives here, in the code, so that it holds in every validator mode.
 */
final class LaneLocks {
    /**
     * The lane locks whose lane the thread holds, or null: one slot per thread for every region, since a
     * thread never holds two lanes (two regions' lanes taken in opposite orders would deadlock). The value
     * is a JDK type emptied on release, so a thread keeps nothing of this bundle reachable between uses.
     */
    private static final ThreadLocal<AtomicReference<LaneLocks>> HELD = ThreadLocal.withInitial(AtomicReference::new);

    private final String region;
    private final Lockdep lockdep;
    private final Mutex[] mutexes;
    private volatile boolean closed;

    /**
     * @throws NvdimmException EINVAL for a count outside 1..{@value LanePool#MAX_LANES}
     */
    LaneLocks(String region, Lockdep lockdep, int count) {
        this.region = Objects.requireNonNull(region, "region");
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
        if (count < 1 || count > LanePool.MAX_LANES) {
            throw new NvdimmException(Errno.EINVAL, region + ": " + count + " lanes: a region needs 1 to "
                    + LanePool.MAX_LANES + " lanes");
        }
        this.mutexes = new Mutex[count];
        for (int i = 0; i < count; i++) {
            mutexes[i] = lockdep.newMutex(RegionLocks.LANE);
        }
    }

    String region() {
        return region;
    }

    int count() {
        return mutexes.length;
    }

    /**
     * The checks before a lane is chosen: the acquisition may sleep, the region must be enabled, the
     * thread must hold no lane.
     *
     * @return the calling thread's slot, for {@link #lock}
     * @throws NvdimmException ENXIO when closed; EDEADLK when the thread holds a lane (of any region)
     */
    AtomicReference<LaneLocks> admit() {
        lockdep.mightSleep();
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, region + ": lanes: the region is disabled");
        }
        AtomicReference<LaneLocks> held = HELD.get();
        LaneLocks other = held.getPlain();
        if (other != null) {
            throw new NvdimmException(Errno.EDEADLK, region + ": lanes: " + Thread.currentThread().getName()
                    + " already holds lane " + other.laneHeldByCurrentThread() + " of " + other.region
                    + "; a thread holds one lane at a time");
        }
        return held;
    }

    /** Waits for the lane's mutex (uninterruptibly, as {@code mutex_lock}) and records it as the thread's. */
    void lock(AtomicReference<LaneLocks> held, int lane) {
        mutexes[lane].lock();
        held.setPlain(this);
    }

    /**
     * Releases a lane the calling thread holds.
     *
     * @param limit the lane count of the pool the caller knows (a view may have fewer lanes)
     * @throws NvdimmException EINVAL for a lane out of {@code 0..limit-1} or one the thread does not hold
     */
    void unlock(int lane, int limit) {
        if (lane < 0 || lane >= limit) {
            throw new NvdimmException(Errno.EINVAL, region + ": lane " + lane + " does not exist (there are "
                    + limit + ")");
        }
        Mutex m = mutexes[lane];
        if (!m.isHeldByCurrentThread()) {
            throw new NvdimmException(Errno.EINVAL, region + ": lane " + lane + " is not held by "
                    + Thread.currentThread().getName());
        }
        m.unlock();
        HELD.get().setPlain(null);
    }

    /** New acquisitions fail with ENXIO; holders may still release. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** For messages only: the lane of these locks the calling thread holds, or -1. */
    private int laneHeldByCurrentThread() {
        for (int i = 0; i < mutexes.length; i++) {
            if (mutexes[i].isHeldByCurrentThread()) {
                return i;
            }
        }
        return -1;
    }
}
