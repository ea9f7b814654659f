package nvdimm.region.internal;

import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.region.Badblocks;
import nvdimm.region.LanePool;

/** The lock classes of this bundle. Both are sleeping leaves: nothing is taken while one is held. */
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
