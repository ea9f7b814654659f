package nvdimm.namespace.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.BlockDevice;

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
 * The raw pmem disk ({@code pmem0}, the io namespace of a label-less 64 MiB region, built by the real
 * device core, region driver and namespace core) against {@code MemorySegment.copy} of the same size on the
 * same kind of memory: a native segment for the memory medium, and a second mapping of the very file the
 * mapped-file medium maps. Random sector-aligned offsets over the whole device, from a precomputed
 * sequence per thread; each write of the disk also persists (a fence on these media), the copy does not.
 * Run with {@code -t 1} and {@code -t 2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RawDiskBenchmark {
    static final long SIZE = 64L << 20;

    @State(Scope.Benchmark)
    public static class Disk {
        @Param({"memory", "file"})
        public String medium;

        Path file;
        Medium regionMedium;
        Arena arena;
        MemorySegment copyTarget;
        RawDiskStack stack;
        BlockDevice pmem;

        @Setup(Level.Trial)
        public void open() throws Exception {
            Medium m;
            arena = Arena.ofShared();
            if (medium.equals("file")) {
                file = Files.createTempFile("rawdisk", ".img");
                m = Media.mapFile(file, SIZE, nvdimm.bus.MapOption.EXTEND);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    copyTarget = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
                }
            } else {
                m = Media.memory("bench.region", SIZE);
                copyTarget = arena.allocate(SIZE, 4096);
            }
            regionMedium = m;
            stack = RawDiskStack.open(m, SIZE, LockdepMode.WARN);
            pmem = stack.pmem();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            stack.close();
            regionMedium.close();
            arena.close();
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    @State(Scope.Thread)
    public static class Io {
        @Param({"4096", "512"})
        public int size;

        MemorySegment buffer;
        long[] offsets;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            buffer = Arena.ofAuto().allocate(size, 64);
            buffer.fill((byte) 0x5a);
            SplittableRandom r = new SplittableRandom(new Random().nextLong());
            offsets = new long[4096];
            long slots = SIZE / size;
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = r.nextLong(slots) * size;
            }
        }

        long offset() {
            next = (next + 1) & (offsets.length - 1);
            return offsets[next];
        }
    }

    @Benchmark
    public void pmemWrite(Disk d, Io io) {
        d.pmem.write(io.offset() / 512, io.buffer);
    }

    @Benchmark
    public void copyWrite(Disk d, Io io) {
        MemorySegment.copy(io.buffer, 0, d.copyTarget, io.offset(), io.size);
    }

    @Benchmark
    public void pmemRead(Disk d, Io io) {
        d.pmem.read(io.offset() / 512, io.buffer);
    }

    /** The region's medium itself, without the disk: what the disk's own checks add is pmemRead less this. */
    @Benchmark
    public void mediumRead(Disk d, Io io) {
        d.regionMedium.read(io.offset(), io.buffer, 0, io.size);
    }

    @Benchmark
    public void mediumWrite(Disk d, Io io) {
        long at = io.offset();
        d.regionMedium.write(at, io.buffer, 0, io.size);
        d.regionMedium.persist(at, io.size);
    }

    @Benchmark
    public void copyRead(Disk d, Io io) {
        MemorySegment.copy(d.copyTarget, io.offset(), io.buffer, 0, io.size);
    }
}
