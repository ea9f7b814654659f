package nvdimm.bench;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.Mutex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Validating a brand-new dependency on a graph of 10,000 classes and 50,000 dependencies: each operation
 * takes two locks in an order never seen before (a new chain and a new edge: stack capture, cycle check
 * with reordering of the topological order, chain insertion). The dependencies follow a hidden random
 * order, so no cycle is ever closed but the validator's own order must keep being repaired. The graph is
 * rebuilt before each iteration so that its size stays near the nominal one.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class NewEdgeBenchmark {
    static final int CLASSES = 10_000;
    static final int INITIAL_EDGES = 50_000;

    Lockdep lockdep;
    Mutex[] locks;
    int[] rank;
    BitSet used;
    SplittableRandom random;

    @Setup(Level.Iteration)
    public void build() {
        lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        random = new SplittableRandom(2019);
        LockClass[] classes = new LockClass[CLASSES];
        locks = new Mutex[CLASSES];
        rank = new int[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            classes[i] = LockClass.of("bench.class" + i);
            rank[i] = i;
        }
        lockdep.register(classes);
        for (int i = CLASSES - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        for (int i = 0; i < CLASSES; i++) {
            locks[i] = lockdep.newMutex(classes[i]);
            locks[i].lock();
            locks[i].unlock();
        }
        used = new BitSet(CLASSES * CLASSES);
        for (int i = 0; i < INITIAL_EDGES; i++) {
            newEdge();
        }
        if (lockdep.status().edges() != INITIAL_EDGES || !lockdep.reports().isEmpty()) {
            throw new IllegalStateException("unexpected graph: " + lockdep.status());
        }
    }

    @Benchmark
    public void newEdge() {
        int a;
        int b;
        do {
            a = random.nextInt(CLASSES);
            b = random.nextInt(CLASSES);
            if (rank[a] > rank[b]) {
                int t = a;
                a = b;
                b = t;
            }
        } while (a == b || used.get(a * CLASSES + b));
        used.set(a * CLASSES + b);
        Mutex outer = locks[a];
        Mutex inner = locks[b];
        outer.lock();
        inner.lock();
        inner.unlock();
        outer.unlock();
    }
}
