package nvdimm.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;
import nvdimm.region.internal.MutexLanePool;

/**
 * Lane policies compared in one run (a harness rather than JMH: it has to choose the worker threads'
 * ids). N threads acquire a lane, copy a 4 KiB block into the lane's buffer (a BTT write into the
 * lane's free block), optionally sleep while holding it (a flush that waits for the host), and release
 * it. Reported per policy: acquisitions per second (mean of the rounds) and its ratio to {@code hash};
 * and the collisions, the threads that shared their lane with another thread (sticky and hash keep a
 * lane per thread; round-robin gives a new lane per acquisition, so it has no fixed collisions).
 *
 * <p>Thread ids in a running program are not dense (pools start at different times, threads come and
 * go), so before each worker the harness makes a seeded random number (0 to 299) of threads it never
 * starts: the workers' ids are then spread as a long-running program's are. Each round runs every
 * policy once, in a rotating order, with the same ids gaps.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar nvdimm.bench.LanePolicyRun [rounds] [seconds-per-trial]
 * </pre>
 */
public final class LanePolicyRun {
    static final int BLOCK = 4096;

    /** One workload: threads, lanes (a BTT's nfree may cap them), and the sleep held with the lane. */
    record Config(String name, int threads, int lanes, long holdNanos) {
    }

    record Trial(double opsPerSecond, int collisions) {
    }

    private LanePolicyRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        List<Config> configs = List.of(
                new Config("32 threads, 256 lanes, 50 us sleep held", 32, 256, 50_000),
                new Config("16 threads, 16 lanes, 50 us sleep held", 16, 16, 50_000),
                new Config("64 threads, 64 lanes, 50 us sleep held", 64, 64, 50_000),
                new Config("4 threads, 256 lanes, no sleep", 4, 256, 0));
        LanePolicy[] policies = {LanePolicy.STICKY, LanePolicy.HASH, LanePolicy.ROUND_ROBIN};
        System.out.printf(Locale.ROOT, "JDK %s, %d processors, %d rounds of %.1f s per policy%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), rounds, seconds);
        for (Config c : configs) {
            double[][] ops = new double[policies.length][rounds];
            int[][] collisions = new int[policies.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < policies.length; k++) {
                    int p = (k + r) % policies.length;
                    Trial t = trial(c, policies[p], 1000L + r, seconds);
                    ops[p][r] = t.opsPerSecond();
                    collisions[p][r] = t.collisions();
                }
            }
            report(c, policies, ops, collisions);
        }
    }

    static void report(Config c, LanePolicy[] policies, double[][] ops, int[][] collisions) {
        System.out.println();
        System.out.println(c.name());
        double hash = mean(ops[Arrays.asList(policies).indexOf(LanePolicy.HASH)]);
        for (int p = 0; p < policies.length; p++) {
            double m = mean(ops[p]);
            String coll = policies[p] == LanePolicy.ROUND_ROBIN ? "n/a (a new lane each time)"
                    : Arrays.toString(collisions[p]);
            System.out.printf(Locale.ROOT, "  %-12s %12.0f ops/s (min %.0f, max %.0f)  x%.2f of hash  collisions %s%n",
                    policies[p].configValue(), m, Arrays.stream(ops[p]).min().orElse(0),
                    Arrays.stream(ops[p]).max().orElse(0), m / hash, coll);
        }
    }

    static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

    /** One policy on one workload: fresh pool, fresh threads with spread ids. */
    static Trial trial(Config c, LanePolicy policy, long seed, double seconds) throws InterruptedException {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        MutexLanePool.registerLockClass(lockdep);
        LanePool pool = new MutexLanePool("bench", lockdep, c.lanes(), policy);
        byte[][] laneBlocks = new byte[c.lanes()][BLOCK];
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(c.threads());
        CountDownLatch go = new CountDownLatch(1);
        long[] counts = new long[c.threads()];
        int[] firstLane = new int[c.threads()];
        boolean[] moved = new boolean[c.threads()];
        SplittableRandom gaps = new SplittableRandom(seed);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < c.threads(); t++) {
            for (int g = gaps.nextInt(300); g > 0; g--) {
                new Thread(() -> { }); // takes an id, never runs
            }
            int me = t;
            Thread w = new Thread(() -> {
                byte[] data = new byte[BLOCK];
                Arrays.fill(data, (byte) me);
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                firstLane[me] = -1;
                long n = 0;
                while (!stop.get()) {
                    int lane = pool.acquire();
                    try {
                        System.arraycopy(data, 0, laneBlocks[lane], 0, BLOCK);
                        if (c.holdNanos() > 0) {
                            LockSupport.parkNanos(c.holdNanos());
                        }
                    } finally {
                        pool.release(lane);
                    }
                    if (firstLane[me] < 0) {
                        firstLane[me] = lane;
                    } else if (firstLane[me] != lane) {
                        moved[me] = true;
                    }
                    n++;
                }
                counts[me] = n;
            }, "lane-bench-" + t);
            workers.add(w);
            w.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - start;
        long total = Arrays.stream(counts).sum();
        return new Trial(total * 1e9 / elapsed, collisions(firstLane, moved));
    }

    /** Threads whose one lane another thread also had; -1 when a thread changed lanes. */
    static int collisions(int[] firstLane, boolean[] moved) {
        for (boolean m : moved) {
            if (m) {
                return -1;
            }
        }
        int shared = 0;
        for (int i = 0; i < firstLane.length; i++) {
            for (int j = 0; j < firstLane.length; j++) {
                if (i != j && firstLane[i] == firstLane[j]) {
                    shared++;
                    break;
                }
            }
        }
        return shared;
    }
}
