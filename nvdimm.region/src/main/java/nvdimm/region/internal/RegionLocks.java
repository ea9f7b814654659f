package nvdimm.region.internal;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.region.Badblocks;
import nvdimm.region.LanePool;

/**
 * The lock classes of this bundle, at the leaf end of DESIGN.md's order (lane → map lock → medium).
 * Both are sleeping locks. Under a lane, only the BTT's map lock (and the medium, which takes no lock)
 * may be taken; a lane may be held across a flush that sleeps. Nothing is taken under the badblocks lock.
 */
final class RegionLocks {
    /** Each lane of every region; a thread holds one (the lane pool refuses a second, see {@link LaneLocks}). */
    static final LockClass LANE = LockClass.of(LanePool.LOCK_CLASS);
    /** Serialises changes to a badblocks list (readers take no lock). */
    static final LockClass BADBLOCKS = LockClass.of(Badblocks.LOCK_CLASS);

    private RegionLocks() {
    }

    static void register(Lockdep lockdep) {
        lockdep.register(LANE, BADBLOCKS);
    }
}
