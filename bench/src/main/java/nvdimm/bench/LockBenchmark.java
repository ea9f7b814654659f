package nvdimm.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Uncontended lock+unlock: a plain {@link ReentrantLock} against a validated {@link Mutex} on a chain
 * the validator has already seen, at nesting depth 1 and at depth 10 (holding 9 validated locks of
 * distinct classes, taken in order). Also the cost of a validated mutex with the validator off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark {
    static final int DEPTH = 10;

    /** A validator with one class per nesting level, and plain locks to compare with. */
    @State(Scope.Thread)
    public static class Locks {
        final ReentrantLock plain = new ReentrantLock();
        final ReentrantLock[] plainOuter = new ReentrantLock[DEPTH - 1];
        Lockdep lockdep;
        Mutex validated;
        Mutex[] outer;
        Mutex offMutex;

        @Setup(Level.Trial)
        public void create() {
            lockdep = new Lockdep(LockdepMode.WARN, r -> { });
            LockClass[] classes = new LockClass[DEPTH];
            for (int i = 0; i < DEPTH; i++) {
                classes[i] = LockClass.of("bench.level" + i);
            }
            lockdep.register(classes);
            outer = new Mutex[DEPTH - 1];
            for (int i = 0; i < DEPTH - 1; i++) {
                outer[i] = lockdep.newMutex(classes[i]);
                plainOuter[i] = new ReentrantLock();
            }
            validated = lockdep.newMutex(classes[DEPTH - 1]);
            Lockdep off = new Lockdep(LockdepMode.OFF, r -> { });
            off.register(classes[0]);
            offMutex = off.newMutex(classes[0]);
        }
    }

    /** Depth 10: its own locks, the 9 outer ones taken on the benchmark thread around each iteration. */
    @State(Scope.Thread)
    public static class Deep extends Locks {
        @Setup(Level.Iteration)
        public void hold() {
            for (Mutex m : outer) {
                m.lock();
            }
            for (ReentrantLock l : plainOuter) {
                l.lock();
            }
        }

        @TearDown(Level.Iteration)
        public void release() {
            if (lockdep.heldLocks().size() != DEPTH - 1 || !lockdep.reports().isEmpty()) {
                throw new IllegalStateException("expected 9 held locks and no report on "
                        + Thread.currentThread().getName() + ": " + lockdep.heldLocks() + " " + lockdep.reports());
            }
            for (int i = plainOuter.length - 1; i >= 0; i--) {
                plainOuter[i].unlock();
            }
            for (int i = outer.length - 1; i >= 0; i--) {
                outer[i].unlock();
            }
        }
    }

    @Benchmark
    public void plainDepth1(Locks s) {
        s.plain.lock();
        s.plain.unlock();
    }

    @Benchmark
    public void validatedDepth1(Locks s) {
        s.validated.lock();
        s.validated.unlock();
    }

    @Benchmark
    public void plainDepth10(Deep s) {
        s.plain.lock();
        s.plain.unlock();
    }

    @Benchmark
    public void validatedDepth10(Deep s) {
        s.validated.lock();
        s.validated.unlock();
    }

    @Benchmark
    public void validatorOffDepth1(Locks s) {
        s.offMutex.lock();
        s.offMutex.unlock();
    }
}
