package nvdimm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.internal.MutexLanePool;

/**
 * The lane-policy table of issue 11: each policy × lanes 1, 2, 16, 256 × threads 1, 2, 8, 64, with the
 * throughput of BTT 4 KiB sector writes at random LBAs (a 64 MiB BTT on the memory medium, validator in WARN)
 * and the wait for a lane ({@link TimedLanes}: {@code System.nanoTime} around {@code acquire()}, into a
 * per-thread histogram), median, p99, p99.9 and max. Each cell is a fresh pool and a fresh load of the same BTT, fresh
 * threads, a warm-up and a measured interval; the policies of one cell run back to back in a rotating order.
 *
 * <p>As in {@link LanePolicyRun}, the workers' thread ids are spread as a long-running program's are: before
 * each worker the harness makes a seeded random number (0 to 299) of threads it never starts, the same gaps for
 * every policy of a cell. (JMH's workers have consecutive ids, which hide {@code hash}'s collisions.)
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar nvdimm.bench.LanePolicyTable [warmup-seconds] [measured-seconds]
 * </pre>
 *
 * Defaults 1 and 2: about three minutes.
 */
public final class LanePolicyTable {
    static final int[] LANES = {1, 2, 16, 256};
    static final int[] THREADS = {1, 2, 8, 64};
    static final LanePolicy[] POLICIES = {LanePolicy.STICKY, LanePolicy.HASH, LanePolicy.ROUND_ROBIN};
    static final long SIZE = 64L << 20;
    static final int SECTOR = 4096;
    static final int POSITIONS = 4096;

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    /** One policy on one workload; {@code topShare}: the busiest thread's part of the writes. */
    record Cell(double opsPerSecond, double topShare, long p50, long p99, long p999, long max, long waits) {
    }

    private LanePolicyTable() {
    }

    /** A writer with its LBAs, buffer and wait histogram. */
    static final class Worker extends Thread {
        final WaitHistogram waits = new WaitHistogram();
        private final Trial trial;
        private final long[] lbas;
        private final MemorySegment buffer;
        long ops;

        Worker(Trial trial, long seed, int number) {
            super("lane-table-" + number);
            this.trial = trial;
            SplittableRandom r = new SplittableRandom(seed);
            lbas = new long[POSITIONS];
            for (int i = 0; i < POSITIONS; i++) {
                lbas[i] = r.nextLong(trial.btt.sectors());
            }
            buffer = Arena.ofAuto().allocate(SECTOR, 64);
            buffer.fill((byte) number);
        }

        int phase() {
            return trial.phase;
        }

        /** Whether something that began in phase {@code before} and ended in {@code after} overlaps the measurement. */
        boolean overlapsMeasurement(int before, int after) {
            return before == MEASURE || after == MEASURE || before != after;
        }

        @Override
        public void run() {
            trial.ready.countDown();
            try {
                trial.go.await();
            } catch (InterruptedException e) {
                return;
            }
            int i = 0;
            long n = 0;
            int phase;
            while ((phase = trial.phase) != STOP) {
                trial.btt.write(lbas[i], buffer);
                i = (i + 1) & (POSITIONS - 1);
                if (phase == MEASURE) {
                    n++;
                }
            }
            ops = n;
        }
    }

    /** One cell's run: its BTT, its phase and its start. */
    static final class Trial {
        final Btt btt;
        final CountDownLatch ready;
        final CountDownLatch go = new CountDownLatch(1);
        volatile int phase = WARMUP;

        Trial(Btt btt, int threads) {
            this.btt = btt;
            this.ready = new CountDownLatch(threads);
        }
    }

    public static void main(String[] args) throws Exception {
        double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        double measured = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        try (JmhLock lock = JmhLock.acquire(); Medium medium = Media.memory("bench.btt", SIZE)) {
            Btt.format(medium, BttVersion.V1_1, SECTOR, UUID.randomUUID(), InfoBlock.NIL_UUID);
            System.out.printf(Locale.ROOT, "JDK %s, %d processors, %.1f s warm-up and %.1f s measured per cell;"
                    + " System.nanoTime costs %.1f ns%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                    warmup, measured, nanoTimeCost());
            cell(medium, LanePolicy.STICKY, 16, 2, 7, 2, 2); // compiles the path; not reported
            Cell[][][] cells = new Cell[LANES.length][THREADS.length][POLICIES.length];
            int n = 0;
            for (int l = 0; l < LANES.length; l++) {
                for (int t = 0; t < THREADS.length; t++) {
                    for (int k = 0; k < POLICIES.length; k++) {
                        int p = (k + n) % POLICIES.length;
                        cells[l][t][p] = cell(medium, POLICIES[p], LANES[l], THREADS[t], 1000L + n, warmup, measured);
                    }
                    n++;
                    System.out.printf(Locale.ROOT, "  %d lanes, %d threads done%n", LANES[l], THREADS[t]);
                }
            }
            print(cells);
        }
    }

    static Cell cell(Medium medium, LanePolicy policy, int lanes, int threads, long seed, double warmup,
            double measured) throws InterruptedException {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        MutexLanePool.registerLockClasses(lockdep);
        MutexLanePool pool = new MutexLanePool("bench", lockdep, lanes, policy);
        Btt btt = Btt.load("btt0.0", medium, BttVersion.V1_1, Optional.empty(), new TimedLanes(pool), lockdep,
                MediaErrors.NONE);
        Trial trial = new Trial(btt, threads);
        SplittableRandom gaps = new SplittableRandom(seed);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            for (int g = gaps.nextInt(300); g > 0; g--) {
                new Thread(() -> { }); // takes an id, never runs
            }
            Worker w = new Worker(trial, gaps.nextLong(), i);
            workers.add(w);
            w.start();
        }
        trial.ready.await();
        trial.go.countDown();
        Thread.sleep((long) (warmup * 1000));
        long start = System.nanoTime();
        trial.phase = MEASURE;
        Thread.sleep((long) (measured * 1000));
        trial.phase = STOP;
        long elapsed = System.nanoTime() - start;
        WaitHistogram all = new WaitHistogram();
        long ops = 0;
        long top = 0;
        for (Worker w : workers) {
            w.join();
            all.add(w.waits);
            ops += w.ops;
            top = Math.max(top, w.ops);
        }
        btt.close();
        pool.close();
        return new Cell(ops * 1e9 / elapsed, ops == 0 ? 0 : (double) top / ops, all.quantile(0.5), all.quantile(0.99), all.quantile(0.999), all.max(),
                all.count());
    }

    static double nanoTimeCost() {
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            sink = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                sink += System.nanoTime();
            }
            if (sink == 42) {
                System.out.print("");
            }
            if (round == 2) {
                return (System.nanoTime() - start) / 1e6;
            }
        }
        return Double.NaN;
    }

    static void print(Cell[][][] cells) {
        int hash = List.of(POLICIES).indexOf(LanePolicy.HASH);
        System.out.println();
        System.out.println("BTT 4 KiB writes per second (x of hash; the busiest thread's share of the writes)");
        System.out.println();
        System.out.println(header(""));
        for (int l = 0; l < LANES.length; l++) {
            for (int t = 0; t < THREADS.length; t++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %d |", LANES[l], THREADS[t]));
                double base = cells[l][t][hash].opsPerSecond();
                for (Cell c : cells[l][t]) {
                    row.append(String.format(Locale.ROOT, " %,.0f (%.2fx; %.0f %%) |", c.opsPerSecond(),
                            c.opsPerSecond() / base, 100 * c.topShare()));
                }
                System.out.println(row);
            }
        }
        System.out.println();
        System.out.println("Wait for a lane (acquire, nanoTime included): p50 / p99 / p99.9 / max");
        System.out.println();
        System.out.println(header(""));
        for (int l = 0; l < LANES.length; l++) {
            for (int t = 0; t < THREADS.length; t++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %d |", LANES[l], THREADS[t]));
                for (Cell c : cells[l][t]) {
                    row.append(String.format(Locale.ROOT, " %s / %s / %s / %s |", duration(c.p50()), duration(c.p99()),
                            duration(c.p999()), duration(c.max())));
                }
                System.out.println(row);
            }
        }
    }

    private static String header(String unit) {
        StringBuilder head = new StringBuilder("| lanes | threads |");
        for (LanePolicy p : POLICIES) {
            head.append(' ').append(p.configValue()).append(unit).append(" |");
        }
        return head.append(System.lineSeparator()).append("|---|---|").append("---|".repeat(POLICIES.length)).toString();
    }

    static String duration(long nanos) {
        if (nanos < 10_000) {
            return String.format(Locale.ROOT, "%d ns", nanos);
        }
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }
}
