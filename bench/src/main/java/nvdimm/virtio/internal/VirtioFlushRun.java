package nvdimm.virtio.internal;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nvdimm.bus.Medium;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

/**
 * Issue 13's figures through the whole device: the region's flush handler (the guest's
 * {@code virtio_pmem_flush}: a pooled request, the split ring, the kick, a host worker, a real
 * {@code FileChannel.force} of the backing file, the used ring, the interrupt, the wake-up) against a
 * direct {@code FileChannel.force(true)} of the same file. Every flush is preceded by a 4 KiB store through
 * the mapping at the flusher's own offset, so each force has dirty data; only the flush is timed.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar nvdimm.virtio.internal.VirtioFlushRun [rounds] [flushes-per-round] [seconds] [dir]
 * </pre>
 */
public final class VirtioFlushRun {
    private static final int BLOCK = 4096;

    private VirtioFlushRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
        Path dir = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"));
        Path file = dir.resolve("virtio-flush-run-" + ProcessHandle.current().pid() + ".img");
        long size = 64L << 20;
        VirtioPmemDevice device = VirtioPmemDevice.open(new VirtioSpec("bench", "bench", file, size, 128, 1), 1L << 40,
                new Lockdep(LockdepMode.OFF));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Medium medium = device.bus().regions().getFirst().medium();
            FlushHandler handler = device.bus().regions().getFirst().flushHandler();
            byte[] fill = new byte[BLOCK];
            for (long at = 0; at < size; at += BLOCK) { // allocate every block before timing
                medium.write(at, fill, 0, BLOCK);
            }
            ch.force(true);
            System.out.printf(Locale.ROOT, "JDK %s, %d processors, file %s (%s)%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), file, Files.getFileStore(file).type());
            latency(medium, handler, ch, rounds, perRound);
            for (int flushers : new int[] {1, 8, 64}) {
                coalescing(device, medium, handler, flushers, seconds);
            }
        } finally {
            device.close();
            Files.deleteIfExists(file);
        }
    }

    private static void flush(FlushHandler handler) {
        try {
            handler.flush().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("flush failed", e.getCause());
        }
    }

    private static void latency(Medium medium, FlushHandler handler, FileChannel ch, int rounds, int perRound)
            throws Exception {
        byte[] block = new byte[BLOCK];
        long[] direct = new long[perRound];
        long[] virtio = new long[perRound];
        double[] ratios = new double[rounds];
        for (int warm = 0; warm < perRound; warm++) {
            medium.write(0, block, 0, BLOCK);
            ch.force(true);
            medium.write(0, block, 0, BLOCK);
            flush(handler);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < perRound; i++) {
                block[0] = (byte) i;
                medium.write((long) i * BLOCK, block, 0, BLOCK);
                long t0 = System.nanoTime();
                ch.force(true);
                direct[i] = System.nanoTime() - t0;
                block[1] = (byte) i;
                medium.write((long) i * BLOCK, block, 0, BLOCK);
                t0 = System.nanoTime();
                flush(handler);
                virtio[i] = System.nanoTime() - t0;
            }
            ratios[r] = (double) median(virtio) / median(direct);
            System.out.printf(Locale.ROOT, "  round %d: median direct %.1f us, virtio flush %.1f us (%.2fx)%n", r,
                    median(direct) / 1000.0, median(virtio) / 1000.0, ratios[r]);
        }
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "latency at one flusher: virtio/direct median ratio per round %s; median %.2fx%n",
                Arrays.toString(ratios), ratios[rounds / 2]);
    }

    private static void coalescing(VirtioPmemDevice device, Medium medium, FlushHandler handler, int flushers,
            double seconds) throws Exception {
        long forces0 = device.host().forces();
        AtomicLong flushes = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < flushers; t++) {
            long offset = (long) t * BLOCK;
            Thread th = new Thread(() -> {
                byte[] block = new byte[BLOCK];
                while (!stop.get()) {
                    block[0]++;
                    medium.write(offset, block, 0, BLOCK);
                    flush(handler);
                    flushes.incrementAndGet();
                }
            });
            threads.add(th);
            th.start();
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        long forces = device.host().forces() - forces0;
        System.out.printf(Locale.ROOT, "%2d flushers: %d flushes, %d host forces: %.3f forces per flush (%.0f flushes/s)%n",
                flushers, flushes.get(), forces, (double) forces / flushes.get(), flushes.get() / seconds);
    }

    private static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
