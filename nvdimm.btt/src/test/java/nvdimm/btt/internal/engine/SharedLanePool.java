package nvdimm.btt.internal.engine;

import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * A broken lane pool for negative controls: one lane, handed to every caller without exclusion, as Linux's
 * lanes were handed to a second task on the same CPU after they became preemptible (seed 000).
 */
final class SharedLanePool implements LanePool {

    @Override
    public int count() {
        return 1;
    }

    @Override
    public LanePolicy policy() {
        return LanePolicy.HASH;
    }

    @Override
    public LanePool limit(int maxLanes) {
        return this;
    }

    @Override
    public int acquire() {
        return 0;
    }

    @Override
    public void release(int lane) {
    }
}
