package nvdimm.emul.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One 4 KiB write and one 4 KiB read (from and into a byte array, and from and into a heap segment
 * with an offset) at 4 KiB aligned offsets cycling over 1 MiB: straight on a raw memory segment, on a
 * memory {@link Medium}, through a 1-way {@link StripedMedium} slice of it, and through a 2-way stripe
 * of two memory media with a 4 KiB granularity. It lives in the emul bundle's package because
 * {@link StripedMedium} is internal; the benchmark jar puts both on one class path. The view goes
 * through windows on the memory media, which {@code MemorySegment.reinterpret} makes: native access
 * is enabled as the launcher does, so the forks print no warning about it.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StripedMediumBenchmark {
    static final int BLOCK = 4096;
    static final long SIZE = 1 << 20;
    static final int BLOCKS_MASK = (int) (SIZE / BLOCK) - 1;

    @State(Scope.Thread)
    public static class Media3 {
        Arena arena;
        MemorySegment raw;
        Medium memory;
        Medium dimm0;
        Medium dimm1;
        Medium slice;
        Medium stripe;
        final byte[] buffer = new byte[BLOCK];
        final MemorySegment heap = MemorySegment.ofArray(new byte[2 * BLOCK]);
        int block;

        @Setup(Level.Trial)
        public void open() {
            arena = Arena.ofShared();
            raw = arena.allocate(SIZE, 4096); // page-aligned as the memory media are: 8-byte alignment varies by fork
            memory = Media.memory("bench.memory", SIZE);
            dimm0 = Media.memory("bench.dimm0", SIZE);
            dimm1 = Media.memory("bench.dimm1", SIZE);
            Lockdep lockdep = Locks.register(new Lockdep(LockdepMode.WARN, r -> { }));
            slice = StripedMedium.slice("bench.slice", memory, 0, SIZE, lockdep);
            stripe = new StripedMedium("bench.stripe", List.of(new StripedMedium.Part(dimm0, 0),
                    new StripedMedium.Part(dimm1, 0)), BLOCK, 2 * SIZE, lockdep);
        }

        @TearDown(Level.Trial)
        public void close() {
            slice.close();
            stripe.close();
            memory.close();
            dimm0.close();
            dimm1.close();
            arena.close();
        }

        long next() {
            block = (block + 1) & BLOCKS_MASK;
            return (long) block * BLOCK;
        }
    }

    @Benchmark
    public byte rawSegment(Media3 m) {
        long at = m.next();
        MemorySegment.copy(m.buffer, 0, m.raw, ValueLayout.JAVA_BYTE, at, BLOCK);
        MemorySegment.copy(m.raw, ValueLayout.JAVA_BYTE, at, m.buffer, 0, BLOCK);
        return m.buffer[7];
    }

    @Benchmark
    public byte memoryMedium(Media3 m) {
        return readWrite(m.memory, m.next(), m.buffer);
    }

    @Benchmark
    public byte slice1Way(Media3 m) {
        return readWrite(m.slice, m.next(), m.buffer);
    }

    @Benchmark
    public byte stripe2Way(Media3 m) {
        return readWrite(m.stripe, m.next(), m.buffer);
    }

    @Benchmark
    public byte rawSegmentToSegment(Media3 m) {
        long at = m.next();
        MemorySegment.copy(m.heap, 8, m.raw, at, BLOCK);
        MemorySegment.copy(m.raw, at, m.heap, 8, BLOCK);
        return m.heap.get(ValueLayout.JAVA_BYTE, 15);
    }

    @Benchmark
    public byte slice1WaySegment(Media3 m) {
        return readWriteSegment(m.slice, m.next(), m.heap);
    }

    @Benchmark
    public byte stripe2WaySegment(Media3 m) {
        return readWriteSegment(m.stripe, m.next(), m.heap);
    }

    private static byte readWrite(Medium medium, long at, byte[] buffer) {
        medium.write(at, buffer, 0, BLOCK);
        medium.read(at, buffer, 0, BLOCK);
        return buffer[7];
    }

    private static byte readWriteSegment(Medium medium, long at, MemorySegment heap) {
        medium.write(at, heap, 8, BLOCK);
        medium.read(at, heap, 8, BLOCK);
        return heap.get(ValueLayout.JAVA_BYTE, 15);
    }
}
