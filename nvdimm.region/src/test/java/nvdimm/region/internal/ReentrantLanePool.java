package nvdimm.region.internal;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * The lane pool before the EDEADLK refusal, for negative controls only: validated mutexes (re-entrant
 * underneath), {@code threadId % lanes}, and nothing that stops a holder from asking again, so in WARN
 * and OFF a nested user gets its holder's own lane back.
 */
final class ReentrantLanePool implements LanePool {
    private final Mutex[] lanes;

    ReentrantLanePool(Lockdep lockdep, int count) {
        lanes = new Mutex[count];
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
        return LanePolicy.HASH;
    }

    @Override
    public int acquire() {
        int lane = (int) (Thread.currentThread().threadId() % lanes.length);
        lanes[lane].lock();
        return lane;
    }

    @Override
    public void release(int lane) {
        lanes[lane].unlock();
    }

    @Override
    public LanePool limit(int maxLanes) {
        throw new NvdimmException(Errno.EINVAL, "the old pool had no views");
    }
}
