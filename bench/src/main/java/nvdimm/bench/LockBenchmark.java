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

    /** Locks held around the measured one; taken and checked on the benchmark thread itself. */
    @State(Scope.Thread)
    public static class Locks {
        final ReentrantLock plain = new ReentrantLock();
        final ReentrantLock[] plainOuter = new ReentrantLock[DEPTH - 1];
        Lockdep lockdep;
        Lockdep off;
        Mutex validated;
        Mutex[] outer;
        Mutex offMutex;
        boolean nested;

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
            off = new Lockdep(LockdepMode.OFF, r -> { });
            off.register(classes[0]);
            offMutex = off.newMutex(classes[0]);
        }

        void holdOuter() {
            for (Mutex m : outer) {
                m.lock();
            }
            for (ReentrantLock l : plainOuter) {
                l.lock();
            }
            nested = true;
        }

        void releaseOuter() {
            if (lockdep.heldLocks().size() != DEPTH - 1 || !outer[0].isHeldByCurrentThread()) {
                throw new IllegalStateException("the outer locks are not held by the benchmark thread");
            }
            for (int i = plainOuter.length - 1; i >= 0; i--) {
                plainOuter[i].unlock();
            }
            for (int i = outer.length - 1; i >= 0; i--) {
                outer[i].unlock();
            }
            if (!lockdep.reports().isEmpty()) {
                throw new IllegalStateException("unexpected report: " + lockdep.reports());
            }
        }
    }

    /** Depth 10: the 9 outer locks are taken before each iteration and released after it. */
    @State(Scope.Thread)
    public static class Nested {
        @Setup(Level.Iteration)
        public void hold(Locks locks) {
            locks.holdOuter();
        }

        @TearDown(Level.Iteration)
        public void release(Locks locks) {
            locks.releaseOuter();
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
    public void plainDepth10(Locks s, Nested n) {
        s.plain.lock();
        s.plain.unlock();
    }

    @Benchmark
    public void validatedDepth10(Locks s, Nested n) {
        s.validated.lock();
        s.validated.unlock();
    }

    @Benchmark
    public void validatorOffDepth1(Locks s) {
        s.offMutex.lock();
        s.offMutex.unlock();
    }
}
