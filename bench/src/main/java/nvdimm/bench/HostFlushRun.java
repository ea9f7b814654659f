package nvdimm.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.virtio.internal.host.Forcer;
import nvdimm.virtio.internal.host.HostBackend;
import nvdimm.virtio.internal.host.HostFaults;
import nvdimm.virtio.internal.host.HostRequest;

/**
 * The virtio-pmem host backend against a direct {@code FileChannel.force(true)} of the same file (a
 * harness rather than JMH: the coalescing figure is a count, not a time). Every flush is preceded by a
 * 4 KiB write at the flusher's own offset, so that each force has dirty data to make durable; only the
 * flush is timed.
 *
 * <ul>
 * <li>Latency at one flusher, in rounds that alternate direct and host flushes: mean and median, and the
 * host/direct ratio of the medians per round (issue 13's target: at most 1.2).
 * <li>Host forces per flush call at 8 and 64 concurrent flushers (target: at most 0.25 at 64; QEMU's
 * one {@code fsync} per request is 1.0).
 * </ul>
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar nvdimm.bench.HostFlushRun [rounds] [flushes-per-round] [seconds] [dir]
 * </pre>
 */
public final class HostFlushRun {
    private static final int BLOCK = 4096;

    private HostFlushRun() {
    }

    /** A reusable request whose submitter parks until the host answers: nothing allocated per flush. */
    static final class Waiter implements HostRequest {
        private final Thread owner = Thread.currentThread();
        private volatile boolean done;
        private volatile int status;

        @Override
        public void hostDone(int status, NvdimmException failure) {
            this.status = status;
            done = true;
            LockSupport.unpark(owner);
        }

        void flush(HostBackend host) {
            done = false;
            host.submit(this);
            while (!done) {
                LockSupport.park(this);
            }
            if (status != 0) {
                throw new IllegalStateException("host flush failed: status " + status);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
        Path dir = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "virtio-pmem-bench", ".img");
        try (JmhLock jmh = JmhLock.acquire();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Allocated and durable before timing: a first write to a block also commits its allocation,
            // which would load whichever of the two forms came first.
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < Math.max(perRound, 64) * (long) BLOCK; at += zeros.capacity()) {
                ch.write(zeros.clear(), at);
            }
            ch.force(true);
            System.out.printf(Locale.ROOT, "JDK %s, %d processors, file %s (%s)%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), file, Files.getFileStore(file).type());
            latency(ch, rounds, perRound);
            for (int flushers : new int[] {1, 8, 64}) {
                coalescing(ch, flushers, seconds);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void latency(FileChannel ch, int rounds, int perRound) throws Exception {
        AtomicLong forces = new AtomicLong();
        Forcer real = Forcer.of(ch);
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
        long[] direct = new long[perRound];
        long[] host = new long[perRound];
        double[] ratios = new double[rounds];
        double directMean = 0;
        double hostMean = 0;
        try (HostBackend backend = new HostBackend("bench", () -> {
            real.force();
            forces.incrementAndGet();
        }, 1, 128, new HostFaults(), new Lockdep(LockdepMode.OFF))) {
            Waiter waiter = new Waiter();
            for (int warm = 0; warm < perRound; warm++) {
                write(ch, block, 0);
                ch.force(true);
                write(ch, block, 0);
                waiter.flush(backend);
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < perRound; i++) {
                    write(ch, block, i);
                    long t0 = System.nanoTime();
                    ch.force(true);
                    direct[i] = System.nanoTime() - t0;
                    write(ch, block, i);
                    t0 = System.nanoTime();
                    waiter.flush(backend);
                    host[i] = System.nanoTime() - t0;
                }
                directMean += mean(direct) / rounds;
                hostMean += mean(host) / rounds;
                ratios[r] = (double) median(host) / median(direct);
                System.out.printf(Locale.ROOT, "  round %d: median direct %.1f us, host %.1f us%n", r,
                        median(direct) / 1000.0, median(host) / 1000.0);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "latency at one flusher (%d rounds of %d flushes each way, interleaved)%n",
                rounds, perRound);
        System.out.printf(Locale.ROOT, "  direct FileChannel.force: mean %.1f us%n", directMean / 1000);
        System.out.printf(Locale.ROOT, "  host flush:               mean %.1f us (%.2fx)%n", hostMean / 1000,
                hostMean / directMean);
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "  host/direct median ratio per round: %s; median of rounds %.2fx%n",
                format(ratios), ratios[rounds / 2]);
    }

    private static void coalescing(FileChannel ch, int flushers, double seconds) throws Exception {
        AtomicLong forces = new AtomicLong();
        Forcer real = Forcer.of(ch);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong flushes = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(flushers);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long elapsed;
        try (HostBackend backend = new HostBackend("bench" + flushers, () -> {
            real.force();
            forces.incrementAndGet();
        }, 1, 128, new HostFaults(), new Lockdep(LockdepMode.OFF))) {
            for (int t = 0; t < flushers; t++) {
                int slot = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
                    Waiter waiter = new Waiter();
                    long n = 0;
                    ready.countDown();
                    try {
                        go.await();
                        while (!stop.get()) {
                            write(ch, block, slot);
                            waiter.flush(backend);
                            n++;
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    flushes.addAndGet(n);
                }));
            }
            ready.await();
            long t0 = System.nanoTime();
            go.countDown();
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            elapsed = System.nanoTime() - t0;
        }
        System.out.println();
        System.out.printf(Locale.ROOT,
                "%d concurrent flushers, %.1f s: %d flush calls, %d host forces, %.3f forces per flush call, "
                        + "%.0f flushes/s%n",
                flushers, seconds, flushes.get(), forces.get(), (double) forces.get() / flushes.get(),
                flushes.get() / (elapsed / 1e9));
    }

    private static void write(FileChannel ch, ByteBuffer block, int slot) throws IOException {
        block.clear();
        block.putLong(0, System.nanoTime());
        ch.write(block, (long) slot * BLOCK);
    }

    private static double mean(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    private static String format(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return b.toString();
    }
}
