package nvdimm.app.internal.kill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.namespace.BlockDevice;

/**
 * The child's writer ({@code killtest:write}): dumps the whole block device to a file (what the parent
 * verifies), records {@code S sectors sectorSize}, then writes self-describing sectors from several
 * threads until it is killed. Each thread owns the LBAs congruent to its index, so an LBA's versions
 * rise in the order they were written. Per batch of one to four writes: {@code W lba version} before
 * each write, then one flush, then {@code A lba version} for each: an acknowledgement is recorded only
 * after its write and a flush returned.
 *
 * <p>Modes: {@code honest} (the above), {@code verify} (dump only), and two liars for the negative
 * controls, which record one bad acknowledgement and then idle: {@code lost} acknowledges a version it
 * never wrote; {@code torn} writes a sector whose second half is another version's.
 */
final class SectorWriter {

    private static final int HOT_PER_THREAD = 256;

    private final BlockDevice device;
    private final Report report;
    private final long generation;

    SectorWriter(BlockDevice device, Report report, long generation) {
        this.device = device;
        this.report = report;
        this.generation = generation;
    }

    void dump(Path file) throws IOException {
        int size = device.sectorSize();
        long sectors = device.sectors();
        int chunk = 64;
        byte[] buffer = new byte[chunk * size];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < sectors; at += chunk) {
                int n = (int) Math.min(chunk, sectors - at);
                device.read(at, MemorySegment.ofArray(buffer).asSlice(0, (long) n * size));
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n * size);
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }
        report.record("S " + sectors + " " + size);
    }

    void run(String mode, int threads) throws InterruptedException {
        switch (mode) {
            case "verify" -> { }
            case "honest" -> honest(threads);
            case "lost" -> lost();
            case "torn" -> torn();
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private void honest(int threads) throws InterruptedException {
        AtomicLong counter = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread w = new Thread(() -> {
                try {
                    loop(index, threads, counter);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    report.record("E " + e);
                }
            }, "kill-writer-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        throw new IllegalStateException("a writer failed", failure.get());
    }

    private void loop(int index, int threads, AtomicLong counter) {
        SplittableRandom random = new SplittableRandom(generation * 1_000_003L + index);
        long sectors = device.sectors();
        long owned = (sectors - 1 - index) / threads + 1;
        long hot = Math.min(owned, HOT_PER_THREAD);
        byte[] sector = new byte[device.sectorSize()];
        MemorySegment segment = MemorySegment.ofArray(sector);
        long[] lbas = new long[4];
        long[] versions = new long[4];
        while (true) {
            int batch = 1 + random.nextInt(4);
            for (int i = 0; i < batch; i++) {
                long k = random.nextInt(10) == 0 ? random.nextLong(owned) : random.nextLong(hot);
                lbas[i] = index + k * threads;
                versions[i] = (generation << 32) | counter.incrementAndGet();
                SectorPattern.fill(sector, lbas[i], versions[i]);
                report.record("W " + lbas[i] + " " + versions[i]);
                device.write(lbas[i], segment);
            }
            device.flush();
            for (int i = 0; i < batch; i++) {
                report.record("A " + lbas[i] + " " + versions[i]);
            }
        }
    }

    private void lost() throws InterruptedException {
        report.record("A 7 " + ((generation << 32) | 1));
        idle();
    }

    private void torn() throws InterruptedException {
        byte[] sector = new byte[device.sectorSize()];
        byte[] other = new byte[sector.length];
        long version = (generation << 32) | 1;
        SectorPattern.fill(sector, 7, version);
        SectorPattern.fill(other, 7, version + 1);
        System.arraycopy(other, sector.length / 2, sector, sector.length / 2, sector.length - sector.length / 2);
        report.record("W 7 " + version);
        device.write(7, MemorySegment.ofArray(sector));
        device.flush();
        report.record("A 7 " + version);
        idle();
    }

    private static void idle() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
