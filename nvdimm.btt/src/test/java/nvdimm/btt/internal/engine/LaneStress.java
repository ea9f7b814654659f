package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed 000 regression as ndctl's btt-stress: writers doing write / read back / compare on sectors of
 * their own and on shared ones, readers looping over a few shared sectors (so that writers must wait out
 * the read-tracking table), and CPU hogs, all at once on one BTT. A sector's content names its LBA and a
 * stamp and is derived from both, so a read shows whether it got one whole version of that sector.
 *
 * <p>What it reports: compares that failed (an own sector reading back other than what was just written;
 * any read showing bytes of no version or another sector's), and errors thrown by the BTT.
 */
final class LaneStress {

    /** Shared sectors: every writer writes them and every reader reads them. */
    static final int SHARED = 16;
    /** Own sectors per writer, after the shared ones. */
    static final int OWN = 4;

    final AtomicLong mismatches = new AtomicLong();
    final AtomicLong compares = new AtomicLong();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<String> firstMismatches = new CopyOnWriteArrayList<>();

    /** The content of {@code lba} written with {@code stamp} (never 0). */
    static byte[] content(int size, long lba, long stamp) {
        byte[] b = new byte[size];
        new SplittableRandom(stamp * 31 + lba).nextBytes(b);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, stamp).putLong(8, lba);
        return b;
    }

    /** Whether {@code got} is one whole version of {@code lba}: all zeros (never written) or some stamp's content. */
    static boolean wholeVersionOf(byte[] got, long lba) {
        ByteBuffer b = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
        long stamp = b.getLong(0);
        if (stamp == 0) {
            return java.util.Arrays.equals(got, new byte[got.length]);
        }
        return b.getLong(8) == lba && java.util.Arrays.equals(got, content(got.length, lba, stamp));
    }

    private void mismatch(String what) {
        mismatches.incrementAndGet();
        if (firstMismatches.size() < 5) {
            firstMismatches.add(what);
        }
    }

    /** A few of the mismatches, for messages. */
    List<String> examples() {
        return List.copyOf(firstMismatches);
    }

    /**
     * Runs the stress: {@code writers} writers of {@code iterations} writes each, {@code readers} readers and
     * {@code hogs} CPU hogs until the writers are done.
     */
    void run(Btt btt, int writers, int readers, int hogs, int iterations) throws InterruptedException {
        int size = btt.sectorSize();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> background = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int id = r;
            background.add(Thread.ofPlatform().name("reader" + r).start(() -> {
                byte[] got = new byte[size];
                MemorySegment dst = MemorySegment.ofArray(got);
                await(go);
                try {
                    for (long i = id; !done.get(); i++) {
                        long lba = i % SHARED;
                        btt.read(lba, dst);
                        compares.incrementAndGet();
                        if (!wholeVersionOf(got, lba)) {
                            mismatch("reader " + id + " read LBA " + lba + " as no whole version of it");
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (int h = 0; h < hogs; h++) {
            background.add(Thread.ofPlatform().name("hog" + h).start(() -> {
                long x = 1;
                while (!done.get()) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }));
        }
        List<Thread> writing = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            writing.add(Thread.ofPlatform().name("writer" + w).start(() -> {
                byte[] got = new byte[size];
                MemorySegment dst = MemorySegment.ofArray(got);
                SplittableRandom rnd = new SplittableRandom(id);
                await(go);
                try {
                    for (int i = 1; i <= iterations; i++) {
                        boolean shared = rnd.nextInt(4) == 0;
                        long lba = shared ? rnd.nextInt(SHARED) : SHARED + (long) id * OWN + rnd.nextInt(OWN);
                        byte[] data = content(size, lba, (long) (id + 1) << 32 | i);
                        btt.write(lba, MemorySegment.ofArray(data));
                        btt.read(lba, dst);
                        compares.incrementAndGet();
                        if (shared ? !wholeVersionOf(got, lba) : !java.util.Arrays.equals(got, data)) {
                            mismatch("writer " + id + " read back LBA " + lba + " as "
                                    + (wholeVersionOf(got, lba) ? "another version" : "no whole version of it"));
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread t : writing) {
            t.join();
        }
        done.set(true);
        for (Thread t : background) {
            t.join();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
