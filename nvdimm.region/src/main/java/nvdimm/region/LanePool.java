package nvdimm.region;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A region's lanes (Linux's {@code nd_region_acquire_lane} / {@code nd_region_release_lane}): a fixed
 * set of numbered slots, each guarded by its own sleeping lock of the validator class
 * {@value #LOCK_CLASS}. A lane indexes per-lane state of the layers above (a BTT arena's free block,
 * log slot and read-tracking slot), so a lane must be used by one thread at a time.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>{@link #acquire()} may sleep: it starts with {@code mightSleep()} and then takes the chosen lane's
 * lock unconditionally. There is no per-thread or per-CPU fast path that skips the lock (that was the
 * seed's bug: a recursion count that let a second task use a lane another task held).</li>
 * <li>A lane may be held across a flush or other sleeping call.</li>
 * <li>A thread never holds two lanes, of one region or of two. The lane locks are re-entrant underneath,
 * so a holder asking again would get its own lane back and share its free block and log slot with
 * itself (seed 000's corruption); {@link #acquire()} refuses it with EDEADLK instead, in every validator
 * mode, before it waits and without taking anything.</li>
 * <li>A lane is released by the thread that acquired it.</li>
 * </ul>
 */
@ProviderType
public interface LanePool {
    /** The lock class of every lane lock. */
    String LOCK_CLASS = "nd_region.lane";

    /** Linux's {@code ND_MAX_LANES}: the default and the largest lane count (a BTT arena has 256 log slots). */
    int MAX_LANES = 256;

    /**
     * How many lanes there are, 1 to {@value #MAX_LANES}; a consumer that can index fewer takes a
     * {@link #limit(int) limited} view.
     */
    int count();

    /** How a lane is chosen. */
    LanePolicy policy();

    /**
     * Picks a lane by the {@linkplain #policy() policy} and waits for its lock.
     *
     * The wait is not interruptible, as Linux's {@code mutex_lock}.
     *
     * @return the lane, {@code 0 <= lane < count()}
     * @throws nvdimm.bus.NvdimmException EDEADLK when the calling thread holds a lane already (of this
     *     region or another); ENXIO when the region has been disabled
     */
    int acquire();

    /**
     * The same lanes for a consumer with room for fewer: a pool of the first
     * {@code min(maxLanes, count())} lanes (a BTT arena whose {@code nfree} is below the region's lane
     * count indexes its free list, log and read-tracking table by lane). The lane locks are this pool's,
     * so lane {@code i} of the view excludes lane {@code i} of this pool and of every other view; the
     * policy is this pool's, spreading the view's callers over the view's lanes; disabling the region
     * closes the view too. Returns this pool when it has no more than {@code maxLanes} lanes.
     *
     * @throws nvdimm.bus.NvdimmException EINVAL for a limit below 1
     */
    LanePool limit(int maxLanes);

    /**
     * Releases a lane this thread acquired.
     *
     * @throws nvdimm.bus.NvdimmException EINVAL for a lane number out of range or a lane the calling
     *     thread does not hold
     */
    void release(int lane);
}
