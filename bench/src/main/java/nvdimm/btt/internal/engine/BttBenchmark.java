package nvdimm.btt.internal.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.internal.RawDiskStack;
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
 * A BTT sector read and write against the raw pmem disk and the copy limit, on the same kind of medium, at
 * random LBAs (operations per microsecond, summed over the threads; run with {@code -t 1} and {@code -t 2},
 * or through {@link BttBenchmarkRun}, which runs both and prints the ratios):
 * <ul>
 * <li>{@code copy*}: {@code MemorySegment.copy} of one sector between a buffer and a native segment (memory)
 * or a second mapping of the very file the file medium maps;</li>
 * <li>{@code pmem*}: the raw disk {@code pmem0} of a label-less region over a medium of that kind, built by
 * the real stack ({@link RawDiskStack}); a write persists before it returns;</li>
 * <li>{@code btt*}: {@link Btt} formatted (v1.1) on a medium of that kind, over a {@link MutexLanePool} of 256
 * lanes under the default policy ({@code sticky}), its map locks and lanes checked by a validator in
 * {@code validator}'s mode. Every LBA is written once before the trial, so reads go through the map to
 * data (not the identity mapping).</li>
 * </ul>
 * All three have 64 MiB of media. LBAs come from a precomputed random sequence per thread; the measured
 * methods allocate nothing.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BttBenchmark {
    static final long SIZE = 64L << 20;
    /** The BTT's lanes: Linux's {@code ND_MAX_LANES}, all usable (a BTT's nfree is 256). */
    static final int LANES = 256;

    @State(Scope.Benchmark)
    public static class Device {
        @Param({"memory", "file"})
        public String medium;

        /** The sector size: the BTT's external LBA size, and the size of every copy and raw transfer. */
        @Param({"4096", "512"})
        public int sector;

        @Param({"WARN", "OFF"})
        public String validator;

        Path rawFile;
        Path bttFile;
        java.lang.foreign.Arena copyArena;
        MemorySegment copyTarget;
        Medium rawMedium;
        RawDiskStack stack;
        BlockDevice pmem;
        Medium bttMedium;
        MutexLanePool lanes;
        Btt btt;

        @Setup(Level.Trial)
        public void open() throws Exception {
            LockdepMode mode = LockdepMode.valueOf(validator);
            copyArena = java.lang.foreign.Arena.ofShared();
            if (medium.equals("file")) {
                rawFile = Files.createTempFile("bttbench-raw", ".img");
                bttFile = Files.createTempFile("bttbench-btt", ".img");
                rawMedium = Media.mapFile(rawFile, SIZE, MapOption.EXTEND);
                bttMedium = Media.mapFile(bttFile, SIZE, MapOption.EXTEND);
                try (FileChannel ch = FileChannel.open(rawFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    copyTarget = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, copyArena);
                }
            } else if (medium.equals("memory")) {
                rawMedium = Media.memory("bench.raw", SIZE);
                bttMedium = Media.memory("bench.btt", SIZE);
                copyTarget = copyArena.allocate(SIZE, 4096);
            } else {
                throw new IllegalArgumentException("medium " + medium + ": memory or file");
            }
            stack = RawDiskStack.open(rawMedium, SIZE, mode);
            pmem = stack.pmem();

            Lockdep lockdep = new Lockdep(mode, r -> { });
            MutexLanePool.registerLockClasses(lockdep);
            lanes = new MutexLanePool("bench", lockdep, LANES, LanePolicy.STICKY);
            Btt.format(bttMedium, BttVersion.V1_1, sector, UUID.randomUUID(), InfoBlock.NIL_UUID);
            btt = Btt.load("btt0.0", bttMedium, BttVersion.V1_1, Optional.empty(), lanes, lockdep,
                    MediaErrors.NONE);
            // every LBA through the map once: reads then take the normal path, not the identity mapping
            MemorySegment fill = MemorySegment.ofArray(new byte[sector]);
            fill.fill((byte) 0x33);
            for (long lba = 0; lba < btt.sectors(); lba++) {
                btt.write(lba, fill);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            btt.close();
            lanes.close();
            stack.close();
            rawMedium.close();
            bttMedium.close();
            copyArena.close();
            if (rawFile != null) {
                Files.deleteIfExists(rawFile);
                Files.deleteIfExists(bttFile);
            }
        }
    }

    /** One thread's buffer and random positions: byte offsets for copy and raw disk, LBAs for the BTT. */
    @State(Scope.Thread)
    public static class Io {
        static final int POSITIONS = 4096;

        MemorySegment buffer;
        long[] offsets;
        long[] lbas;
        int next;

        @Setup(Level.Trial)
        public void prepare(Device d) {
            buffer = java.lang.foreign.Arena.ofAuto().allocate(d.sector, 64);
            buffer.fill((byte) 0x5a);
            SplittableRandom r = new SplittableRandom(ThreadLocalRandom.current().nextLong());
            offsets = new long[POSITIONS];
            lbas = new long[POSITIONS];
            long slots = SIZE / d.sector;
            for (int i = 0; i < POSITIONS; i++) {
                offsets[i] = r.nextLong(slots) * d.sector;
                lbas[i] = r.nextLong(d.btt.sectors());
            }
        }

        int step() {
            next = (next + 1) & (POSITIONS - 1);
            return next;
        }
    }

    @Benchmark
    public void copyRead(Device d, Io io) {
        MemorySegment.copy(d.copyTarget, io.offsets[io.step()], io.buffer, 0, d.sector);
    }

    @Benchmark
    public void copyWrite(Device d, Io io) {
        MemorySegment.copy(io.buffer, 0, d.copyTarget, io.offsets[io.step()], d.sector);
    }

    @Benchmark
    public void pmemRead(Device d, Io io) {
        d.pmem.read(io.offsets[io.step()] / 512, io.buffer);
    }

    @Benchmark
    public void pmemWrite(Device d, Io io) {
        d.pmem.write(io.offsets[io.step()] / 512, io.buffer);
    }

    @Benchmark
    public void bttRead(Device d, Io io) {
        d.btt.read(io.lbas[io.step()], io.buffer);
    }

    @Benchmark
    public void bttWrite(Device d, Io io) {
        d.btt.write(io.lbas[io.step()], io.buffer);
    }
}
