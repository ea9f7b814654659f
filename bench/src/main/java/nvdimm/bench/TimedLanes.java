package nvdimm.bench;

import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;

/**
 * A lane pool that times each {@link #acquire()} (the wait for a lane, policy choice included) with
 * {@link System#nanoTime()} into the calling {@link LanePolicyTable.Worker}'s histogram when the wait overlaps
 * the table's measured interval: a wait that began before it or ended after it counts too, so a thread starved
 * for the whole interval is not left out. Everything else goes straight to the pool underneath.
 */
final class TimedLanes implements LanePool {
    private final LanePool lanes;

    TimedLanes(LanePool lanes) {
        this.lanes = lanes;
    }

    @Override
    public int acquire() {
        LanePolicyTable.Worker w = Thread.currentThread() instanceof LanePolicyTable.Worker worker ? worker : null;
        int before = w == null ? 0 : w.phase();
        long start = System.nanoTime();
        int lane = lanes.acquire();
        long waited = System.nanoTime() - start;
        if (w != null && w.overlapsMeasurement(before, w.phase())) {
            w.waits.record(waited);
        }
        return lane;
    }

    @Override
    public void release(int lane) {
        lanes.release(lane);
    }

    @Override
    public int count() {
        return lanes.count();
    }

    @Override
    public LanePolicy policy() {
        return lanes.policy();
    }

    @Override
    public LanePool limit(int maxLanes) {
        LanePool limited = lanes.limit(maxLanes);
        return limited == lanes ? this : new TimedLanes(limited);
    }
}
