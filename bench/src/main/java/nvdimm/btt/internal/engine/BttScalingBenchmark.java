package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;
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
 * Why BTT writes scale less than reads from 1 to 2 threads: the same 4 KiB writes on the memory medium with the
 * threads' lanes next to each other ({@code stride} 1: sticky gives lanes 0 and 1, whose free-list entries share
 * the cache lines of the arena's per-lane {@code int} arrays) or 16 lanes apart ({@code stride} 16: lanes 0 and
 * 16, a cache line apart, through {@link StridedLanes}). Run with {@code -t 1} and {@code -t 2}, ideally with
 * {@code -prof perfnorm:events=task-clock} for the CPU time per write.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BttScalingBenchmark {
    static final long SIZE = 64L << 20;
    static final int SECTOR = 4096;

    @State(Scope.Benchmark)
    public static class Device {
        @Param({"1", "16"})
        public int stride;

        Medium medium;
        MutexLanePool pool;
        Btt btt;

        @Setup(Level.Trial)
        public void open() {
            Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
            MutexLanePool.registerLockClasses(lockdep);
            medium = Media.memory("bench.btt", SIZE);
            pool = new MutexLanePool("bench", lockdep, BttBenchmark.LANES / stride, LanePolicy.STICKY);
            LanePool lanes = stride == 1 ? pool : new StridedLanes(pool, stride);
            Btt.format(medium, BttVersion.V1_1, SECTOR, UUID.randomUUID(), InfoBlock.NIL_UUID);
            btt = Btt.load("btt0.0", medium, BttVersion.V1_1, Optional.empty(), lanes, lockdep, MediaErrors.NONE);
            MemorySegment fill = MemorySegment.ofArray(new byte[SECTOR]);
            for (long lba = 0; lba < btt.sectors(); lba++) {
                btt.write(lba, fill);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            btt.close();
            pool.close();
            medium.close();
        }
    }

    @State(Scope.Thread)
    public static class Io {
        MemorySegment buffer;
        long[] lbas;
        int next;

        @Setup(Level.Trial)
        public void prepare(Device d) {
            buffer = java.lang.foreign.Arena.ofAuto().allocate(SECTOR, 64);
            buffer.fill((byte) 0x5a);
            SplittableRandom r = new SplittableRandom(ThreadLocalRandom.current().nextLong());
            lbas = new long[4096];
            for (int i = 0; i < lbas.length; i++) {
                lbas[i] = r.nextLong(d.btt.sectors());
            }
        }

        long lba() {
            next = (next + 1) & (lbas.length - 1);
            return lbas[next];
        }
    }

    @Benchmark
    public void bttWrite(Device d, Io io) {
        d.btt.write(io.lba(), io.buffer);
    }

    @Benchmark
    public void bttRead(Device d, Io io) {
        d.btt.read(io.lba(), io.buffer);
    }

    /**
     * The lanes of a pool of {@code 256 / stride} lanes, numbered {@code stride} apart: lane {@code i} of the pool is
     * lane {@code i * stride} here, so its holders index the BTT's per-lane arrays a cache line apart.
     */
    static final class StridedLanes implements LanePool {
        private final LanePool lanes;
        private final int stride;

        StridedLanes(LanePool lanes, int stride) {
            this.lanes = lanes;
            this.stride = stride;
        }

        @Override
        public int count() {
            return lanes.count() * stride;
        }

        @Override
        public LanePolicy policy() {
            return lanes.policy();
        }

        @Override
        public int acquire() {
            return lanes.acquire() * stride;
        }

        @Override
        public void release(int lane) {
            lanes.release(lane / stride);
        }

        @Override
        public LanePool limit(int maxLanes) {
            if (maxLanes < count()) {
                throw new IllegalArgumentException("a strided view of " + count() + " lanes cannot be limited to "
                        + maxLanes);
            }
            return this;
        }
    }
}
