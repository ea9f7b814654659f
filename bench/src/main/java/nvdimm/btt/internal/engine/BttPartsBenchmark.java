package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.Mutex;
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
 * Where a BTT 4 KiB sector write's time goes, one thread, memory medium (ns per operation): the whole write and
 * read, and each of the steps {@code Btt.writeSector} takes besides the data copy, on the same loaded BTT as
 * {@link BttBenchmark} sets up (256 lanes, sticky): the lane, the map lock (each a validated mutex in
 * {@code validator}'s mode), the writer's read-tracking scan (a full fence, then one volatile read per slot of
 * the arena's {@code nfree} = 256), the reader's publication (a volatile store and a full fence), and the plain
 * 4 KiB copy into the medium. Run with {@code -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BttPartsBenchmark {
    static final long SIZE = 64L << 20;
    static final int SECTOR = 4096;

    @Param({"WARN", "OFF"})
    public String validator;

    Medium medium;
    MutexLanePool pool;
    LanePool lanes;
    Btt btt;
    Arena arena;
    Mutex mapLock;
    MemorySegment buffer;
    long[] lbas;
    long block;
    int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Lockdep lockdep = new Lockdep(LockdepMode.valueOf(validator), r -> { });
        MutexLanePool.registerLockClasses(lockdep);
        medium = Media.memory("bench.btt", SIZE);
        pool = new MutexLanePool("bench", lockdep, BttBenchmark.LANES, LanePolicy.STICKY);
        Btt.format(medium, BttVersion.V1_1, SECTOR, UUID.randomUUID(), InfoBlock.NIL_UUID);
        btt = Btt.load("btt0.0", medium, BttVersion.V1_1, Optional.empty(), pool, lockdep, MediaErrors.NONE);
        lanes = btt.lanes();
        Field f = Btt.class.getDeclaredField("arenas");
        f.setAccessible(true);
        arena = ((List<?>) f.get(btt)).stream().map(Arena.class::cast).findFirst().orElseThrow();
        mapLock = arena.mapLock(0);
        buffer = java.lang.foreign.Arena.ofAuto().allocate(SECTOR, 64);
        buffer.fill((byte) 0x5a);
        SplittableRandom r = new SplittableRandom(42);
        lbas = new long[4096];
        for (int i = 0; i < lbas.length; i++) {
            lbas[i] = r.nextLong(btt.sectors());
        }
        MemorySegment fill = MemorySegment.ofArray(new byte[SECTOR]);
        for (long lba = 0; lba < btt.sectors(); lba++) {
            btt.write(lba, fill);
        }
        block = arena.geometry.internalNlba() - 1;
    }

    @TearDown(Level.Trial)
    public void close() {
        btt.close();
        pool.close();
        medium.close();
    }

    long lba() {
        next = (next + 1) & (lbas.length - 1);
        return lbas[next];
    }

    @Benchmark
    public void bttWrite() {
        btt.write(lba(), buffer);
    }

    @Benchmark
    public void bttRead() {
        btt.read(lba(), buffer);
    }

    /** The data copy and its persist alone, at the block a write would use. */
    @Benchmark
    public void dataCopy() {
        long at = arena.dataBlock(lba());
        medium.write(at, buffer, 0, SECTOR);
        medium.persist(at, SECTOR);
    }

    @Benchmark
    public int lane() {
        int lane = lanes.acquire();
        lanes.release(lane);
        return lane;
    }

    /** A lane with the map lock taken under it, as a write takes them. */
    @Benchmark
    public int laneAndMapLock() {
        int lane = lanes.acquire();
        Mutex lock = arena.mapLock(lba());
        lock.lock();
        lock.unlock();
        lanes.release(lane);
        return lane;
    }

    /** The writer's side of the read-tracking handshake: a full fence and a scan of the 256 slots. */
    @Benchmark
    public void rttScan() {
        arena.awaitReaders(block);
    }

    /** The reader's side: publish the block, full fence, clear. */
    @Benchmark
    public void rttPublish() {
        arena.trackRead(0, block);
        arena.untrackRead(0);
    }

    @Benchmark
    public void fullFence() {
        VarHandle.fullFence();
    }
}
