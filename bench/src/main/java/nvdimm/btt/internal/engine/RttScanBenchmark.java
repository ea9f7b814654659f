package nvdimm.btt.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The writer's read-tracking scan over an arena's 256 slots, none of which tracks the block (the common case), in
 * the engine's form and in two forms with the same ordering: {@code volatileScan} is {@code Arena.awaitReaders}
 * (a full fence, then a volatile read per slot); {@code opaqueScan} reads the slots with opaque reads after the
 * same full fence and ends with an acquire fence (the acquire each volatile read gave, once for the whole scan:
 * a reader's release of its slot still happens-before the writer's data stores); the {@code *FindThenWait} forms
 * first only look (no spin loop inside the walk) and wait only when a slot holds the block; {@code plainLoop} is
 * the plain loop with no ordering at all, the floor. ns per scan, one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RttScanBenchmark {
    private static final VarHandle RTT = MethodHandles.arrayElementVarHandle(int[].class);

    final int[] rtt = new int[256];
    int block = 12345;

    @Benchmark
    public void volatileScan() {
        VarHandle.fullFence();
        int tracked = Arena.RTT_VALID | block;
        for (int i = 0; i < rtt.length; i++) {
            while ((int) RTT.getVolatile(rtt, i) == tracked) {
                Thread.onSpinWait();
            }
        }
    }

    @Benchmark
    public void opaqueScan() {
        VarHandle.fullFence();
        int tracked = Arena.RTT_VALID | block;
        for (int i = 0; i < rtt.length; i++) {
            while ((int) RTT.getOpaque(rtt, i) == tracked) {
                Thread.onSpinWait();
            }
        }
        VarHandle.acquireFence();
    }

    /**
     * A first pass that only looks (opaque reads, no spinning inside the loop, so nothing stops the loop from being
     * unrolled), and the engine's spinning scan only when a slot tracks the block; then the acquire fence.
     */
    @Benchmark
    public void opaqueFindThenWait() {
        VarHandle.fullFence();
        int tracked = Arena.RTT_VALID | block;
        boolean any = false;
        for (int i = 0; i < rtt.length; i++) {
            any |= (int) RTT.getOpaque(rtt, i) == tracked;
        }
        if (any) {
            for (int i = 0; i < rtt.length; i++) {
                while ((int) RTT.getVolatile(rtt, i) == tracked) {
                    Thread.onSpinWait();
                }
            }
        }
        VarHandle.acquireFence();
    }

    /**
     * The same with plain reads in the first pass: the full fence before it and the acquire fence after it order
     * them (the fences order plain loads too; {@code StampedLock}'s optimistic reads rely on the same), and a
     * slot that holds the block is waited on with volatile reads.
     */
    @Benchmark
    public void plainFindThenWait() {
        VarHandle.fullFence();
        int tracked = Arena.RTT_VALID | block;
        boolean any = false;
        for (int i = 0; i < rtt.length; i++) {
            any |= rtt[i] == tracked;
        }
        if (any) {
            for (int i = 0; i < rtt.length; i++) {
                while ((int) RTT.getVolatile(rtt, i) == tracked) {
                    Thread.onSpinWait();
                }
            }
        }
        VarHandle.acquireFence();
    }

    /** The same with a volatile read per slot in the first pass. */
    @Benchmark
    public void volatileFindThenWait() {
        VarHandle.fullFence();
        int tracked = Arena.RTT_VALID | block;
        boolean any = false;
        for (int i = 0; i < rtt.length; i++) {
            any |= (int) RTT.getVolatile(rtt, i) == tracked;
        }
        if (any) {
            for (int i = 0; i < rtt.length; i++) {
                while ((int) RTT.getVolatile(rtt, i) == tracked) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Benchmark
    public int plainLoop() {
        int tracked = Arena.RTT_VALID | block;
        int hits = 0;
        for (int i = 0; i < rtt.length; i++) {
            if (rtt[i] == tracked) {
                hits++;
            }
        }
        return hits;
    }
}
