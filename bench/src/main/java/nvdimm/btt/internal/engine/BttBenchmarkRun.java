package nvdimm.btt.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link BttBenchmark} as issue 11's performance section asks, in one session, and prints the tables with
 * their ratios: every benchmark with 1 and then 2 threads (validator in WARN, the runtime's default, with the
 * gc profiler for the bytes allocated per operation), then rounds of BTT 4 KiB writes in WARN and in OFF on
 * both media, one thread, alternating which mode goes first.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar nvdimm.btt.internal.engine.BttBenchmarkRun \
 *     [warmup-iterations] [iterations] [seconds-per-iteration] [validator-rounds]
 * </pre>
 *
 * Defaults 3, 5, 1, 3: about twelve minutes on two cores. A fifth argument {@code true} adds
 * {@code -prof perfnorm:events=task-clock} (needs {@code perf}): the CPU time of the fork per operation, which
 * other processes on a shared machine disturb far less than the wall-clock throughput, and tables from it.
 */
public final class BttBenchmarkRun {
    private static final String[] OPS = {"copyRead", "pmemRead", "bttRead", "copyWrite", "pmemWrite", "bttWrite"};
    private static final String[] MEDIA = {"memory", "file"};
    private static final int[] SECTORS = {4096, 512};

    record Key(String op, String medium, int sector, String validator, int threads) {
    }

    /** Throughput, its error, bytes allocated and CPU nanoseconds (all the fork's threads) per operation. */
    record Score(double opsPerUs, double error, double bytesPerOp, double cpuNsPerOp) {
    }

    private final int warmups;
    private final int iterations;
    private final int seconds;
    private final boolean perf;

    private BttBenchmarkRun(int warmups, int iterations, int seconds, boolean perf) {
        this.warmups = warmups;
        this.iterations = iterations;
        this.seconds = seconds;
        this.perf = perf;
    }

    public static void main(String[] args) throws Exception {
        int wi = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int i = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int s = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        boolean perf = args.length > 4 ? Boolean.parseBoolean(args[4]) : false;
        // one session: hold JMH's lock throughout (other JMH runs wait), and let this session's runs pass it
        try (var lock = nvdimm.bench.JmhLock.acquire()) {
            System.setProperty("jmh.ignoreLock", "true");
            new BttBenchmarkRun(wi, i, s, perf).run(rounds);
        }
    }

    private void run(int rounds) throws Exception {
        Map<Key, Score> main = new HashMap<>();
        for (int threads : new int[] {1, 2}) {
            ChainedOptionsBuilder o = options("\\.(copy|pmem|btt)(Read|Write)$", threads).param("validator", "WARN")
                    .addProfiler(GCProfiler.class);
            if (perf) {
                o = o.addProfiler("perfnorm", "events=task-clock");
            }
            collect(main, new Runner(o.build()).run());
        }
        List<Map<Key, Score>> validatorRounds = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Map<Key, Score> round = new HashMap<>();
            String[] order = r % 2 == 0 ? new String[] {"WARN", "OFF"} : new String[] {"OFF", "WARN"};
            for (String mode : order) {
                ChainedOptionsBuilder o = options("\\.bttWrite$", 1).param("sector", "4096").param("validator", mode);
                if (perf) {
                    o = o.addProfiler("perfnorm", "events=task-clock");
                }
                collect(round, new Runner(o.build()).run());
            }
            validatorRounds.add(round);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "JDK %s, %d processors; %d warmup and %d measured iterations of %d s,"
                + " one fork per cell%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), warmups,
                iterations, seconds);
        printScores(main);
        printRatios(main);
        if (perf) {
            printCpu(main);
        }
        printValidator(validatorRounds);
    }

    private ChainedOptionsBuilder options(String methods, int threads) {
        return new OptionsBuilder()
                .include(BttBenchmark.class.getName().replace(".", "\\.") + methods)
                .forks(1)
                .threads(threads)
                .warmupIterations(warmups)
                .measurementIterations(iterations)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementTime(TimeValue.seconds(seconds));
    }

    private static void collect(Map<Key, Score> into, Collection<RunResult> results) {
        for (RunResult r : results) {
            var p = r.getParams();
            String bench = p.getBenchmark();
            String op = bench.substring(bench.lastIndexOf('.') + 1);
            Key k = new Key(op, p.getParam("medium"), Integer.parseInt(p.getParam("sector")), p.getParam("validator"),
                    p.getThreads());
            double alloc = Double.NaN;
            double cpu = Double.NaN;
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = e.getValue().getScore();
                } else if (e.getKey().endsWith("task-clock")) {
                    cpu = e.getValue().getScore() * 1e6; // perf counts task-clock in ms
                }
            }
            into.put(k, new Score(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), alloc, cpu));
        }
    }

    private static void printScores(Map<Key, Score> m) {
        System.out.println();
        System.out.println("Throughput, operations per microsecond (summed over threads), validator WARN;"
                + " B/op from -prof gc");
        System.out.println();
        System.out.print("| medium | sector | threads |");
        for (String op : OPS) {
            System.out.print(" " + op + " |");
        }
        System.out.println(" btt B/op (read, write) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String medium : MEDIA) {
            for (int sector : SECTORS) {
                for (int t : new int[] {1, 2}) {
                    System.out.printf(Locale.ROOT, "| %s | %d | %d |", medium, sector, t);
                    for (String op : OPS) {
                        Score s = m.get(new Key(op, medium, sector, "WARN", t));
                        System.out.print(s == null ? " - |" : String.format(Locale.ROOT, " %.2f ± %.2f |",
                                s.opsPerUs(), s.error()));
                    }
                    Score r = m.get(new Key("bttRead", medium, sector, "WARN", t));
                    Score w = m.get(new Key("bttWrite", medium, sector, "WARN", t));
                    System.out.printf(Locale.ROOT, " %s, %s |%n", bytes(r), bytes(w));
                }
            }
        }
    }

    private static String bytes(Score s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.3f", s.bytesPerOp());
    }

    private static void printRatios(Map<Key, Score> m) {
        System.out.println();
        System.out.println("Ratios of throughput (validator WARN). Targets, 4 KiB: BTT write / raw write >= 0.6,"
                + " BTT read / raw read >= 0.9; 2 threads / 1 thread >= 1.7");
        System.out.println();
        System.out.println("| medium | sector | threads | btt write / pmem write | btt read / pmem read"
                + " | pmem write / copy | pmem read / copy | btt write / copy | btt read / copy |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String medium : MEDIA) {
            for (int sector : SECTORS) {
                for (int t : new int[] {1, 2}) {
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |%n", medium, sector,
                            t, ratio(m, "bttWrite", "pmemWrite", medium, sector, t),
                            ratio(m, "bttRead", "pmemRead", medium, sector, t),
                            ratio(m, "pmemWrite", "copyWrite", medium, sector, t),
                            ratio(m, "pmemRead", "copyRead", medium, sector, t),
                            ratio(m, "bttWrite", "copyWrite", medium, sector, t),
                            ratio(m, "bttRead", "copyRead", medium, sector, t));
                }
            }
        }
        System.out.println();
        System.out.println("Scaling, 2 threads / 1 thread (target >= 1.7 for the BTT)");
        System.out.println();
        System.out.print("| medium | sector |");
        for (String op : OPS) {
            System.out.print(" " + op + " |");
        }
        System.out.println();
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String medium : MEDIA) {
            for (int sector : SECTORS) {
                System.out.printf(Locale.ROOT, "| %s | %d |", medium, sector);
                for (String op : OPS) {
                    Score one = m.get(new Key(op, medium, sector, "WARN", 1));
                    Score two = m.get(new Key(op, medium, sector, "WARN", 2));
                    System.out.print(one == null || two == null ? " - |"
                            : String.format(Locale.ROOT, " %.2fx |", two.opsPerUs() / one.opsPerUs()));
                }
                System.out.println();
            }
        }
    }

    private static void printCpu(Map<Key, Score> m) {
        System.out.println();
        System.out.println("CPU time per operation (perf task-clock of the whole fork / operations), ns, and ratios of"
                + " speed from it (b / a = cpu(a) / cpu(b)); CPU scaling = 2 x cpu(1 thread) / cpu(2 threads)");
        System.out.println();
        System.out.print("| medium | sector | threads |");
        for (String op : OPS) {
            System.out.print(" " + op + " |");
        }
        System.out.println(" btt write / pmem write | btt read / pmem read |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String medium : MEDIA) {
            for (int sector : SECTORS) {
                for (int t : new int[] {1, 2}) {
                    System.out.printf(Locale.ROOT, "| %s | %d | %d |", medium, sector, t);
                    for (String op : OPS) {
                        Score s = m.get(new Key(op, medium, sector, "WARN", t));
                        System.out.print(s == null ? " - |" : String.format(Locale.ROOT, " %.0f |", s.cpuNsPerOp()));
                    }
                    System.out.printf(Locale.ROOT, " %s | %s |%n", cpuRatio(m, "bttWrite", "pmemWrite", medium, sector, t),
                            cpuRatio(m, "bttRead", "pmemRead", medium, sector, t));
                }
            }
        }
        System.out.println();
        System.out.print("| medium | sector | CPU scaling:");
        for (String op : OPS) {
            System.out.print(" " + op + " |");
        }
        System.out.println();
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String medium : MEDIA) {
            for (int sector : SECTORS) {
                System.out.printf(Locale.ROOT, "| %s | %d |", medium, sector);
                for (String op : OPS) {
                    Score one = m.get(new Key(op, medium, sector, "WARN", 1));
                    Score two = m.get(new Key(op, medium, sector, "WARN", 2));
                    System.out.print(one == null || two == null ? " - |"
                            : String.format(Locale.ROOT, " %.2fx |", 2 * one.cpuNsPerOp() / two.cpuNsPerOp()));
                }
                System.out.println();
            }
        }
    }

    private static String cpuRatio(Map<Key, Score> m, String a, String b, String medium, int sector, int t) {
        Score x = m.get(new Key(a, medium, sector, "WARN", t));
        Score y = m.get(new Key(b, medium, sector, "WARN", t));
        return x == null || y == null ? "-" : String.format(Locale.ROOT, "%.2fx", y.cpuNsPerOp() / x.cpuNsPerOp());
    }

    private static String ratio(Map<Key, Score> m, String a, String b, String medium, int sector, int t) {
        Score x = m.get(new Key(a, medium, sector, "WARN", t));
        Score y = m.get(new Key(b, medium, sector, "WARN", t));
        return x == null || y == null ? "-" : String.format(Locale.ROOT, "%.2fx", x.opsPerUs() / y.opsPerUs());
    }

    private static void printValidator(List<Map<Key, Score>> rounds) {
        System.out.println();
        System.out.println("Validator cost on BTT 4 KiB writes, 1 thread: 1 - WARN / OFF (target <= 5 %)");
        System.out.println();
        System.out.println("| round | medium | WARN ops/us | OFF ops/us | cost | WARN CPU ns/op | OFF CPU ns/op | CPU cost |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int r = 0; r < rounds.size(); r++) {
            for (String medium : MEDIA) {
                Score warn = rounds.get(r).get(new Key("bttWrite", medium, 4096, "WARN", 1));
                Score off = rounds.get(r).get(new Key("bttWrite", medium, 4096, "OFF", 1));
                if (warn == null || off == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "| %d (%s first) | %s | %.2f ± %.2f | %.2f ± %.2f | %.1f %% | %.0f | %.0f |"
                        + " %.1f %% |%n", r + 1, r % 2 == 0 ? "WARN" : "OFF", medium, warn.opsPerUs(), warn.error(),
                        off.opsPerUs(), off.error(), 100 * (1 - warn.opsPerUs() / off.opsPerUs()), warn.cpuNsPerOp(),
                        off.cpuNsPerOp(), 100 * (1 - off.cpuNsPerOp() / warn.cpuNsPerOp()));
            }
        }
    }
}
