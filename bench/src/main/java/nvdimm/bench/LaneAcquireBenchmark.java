package nvdimm.bench;

import java.util.concurrent.TimeUnit;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.internal.MutexLanePool;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one lane acquisition and release per policy, with nothing held (ns per pair; the
 * validator in WARN, the runtime's default). Run with {@code -t 1} for the uncontended path, {@code -t 2}
 * or more to see round-robin's shared counter. The comparison under load, with collisions, is
 * {@link LanePolicyRun}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class LaneAcquireBenchmark {
    @Param({"sticky", "hash", "round-robin"})
    public String policy;

    MutexLanePool pool;

    @Setup(Level.Trial)
    public void create() {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        MutexLanePool.registerLockClass(lockdep);
        pool = new MutexLanePool("bench", lockdep, 256, LanePolicy.parse(policy));
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
    }

    @Benchmark
    public int acquireRelease() {
        int lane = pool.acquire();
        pool.release(lane);
        return lane;
    }
}
