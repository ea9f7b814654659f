package nvdimm.region.testing;

import nvdimm.lockdep.Lockdep;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;
import nvdimm.region.internal.MutexLanePool;

/** A region's lane pool for tests of the layers above, its lock class registered with the validator. */
public final class TestLanes {
    private TestLanes() {
    }

    /** {@code lanes} lanes chosen by {@code policy}, for a region called {@code region}. */
    public static LanePool pool(String region, Lockdep lockdep, int lanes, LanePolicy policy) {
        MutexLanePool.registerLockClasses(lockdep);
        return new MutexLanePool(region, lockdep, lanes, policy);
    }
}
