package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import nvdimm.btt.internal.format.BttVersion;

/**
 * Power-fail atomicity of sector writes, proven by the crash explorer ({@link CrashExplorer}) on every crash
 * point of each workload: one writer, overwrites of one LBA past a seq wrap, several writers on distinct and
 * shared LBAs, writing an LBA whose map carries the error flag, and a write whose free block is bad and is
 * cleared first. The negative controls are in {@link BttCrashNegativeTest}.
 */
class BttCrashTest {

    /** Samples of the data words per combination of metadata words: none, all, and random ones. */
    static final int SAMPLES = 4;

    private static long explored(CrashExplorer x, String workload) {
        long images = x.explore(SAMPLES, 42);
        assertTrue(images > 0, workload + ": no crash image");
        System.out.println("crash explorer: " + workload + " (" + x.version + ", " + x.lbasize + "): " + images
                + " crash images, 0 failures");
        return images;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"V1_1, 512", "V2_0, 4096", "V1_1, 520", "V2_0, 4160", "V1_1, 4096"})
    void oneWriter(BttVersion version, int lbasize) {
        CrashExplorer x = new CrashExplorer(version, lbasize, 4, WriteOrder.LINUX, MediaErrors.NONE);
        long last = x.btt.sectors() - 1;
        x.prewrite(1, 2, last).start(0, 3, last - 1);
        x.write(1, 1);          // a prewritten LBA: normal entry to normal entry
        x.write(5, 1);          // an identity entry
        x.write(last, 1);
        x.write(1, 2);          // the block LBA 1 left is reused by its lane
        x.write(2, 1);
        long images = explored(x, "one writer");
        assertTrue(images >= 5 * 4, images + " images");
    }

    /** One lane: every write goes through lane 0, whose seq wraps 1 → 2 → 3 → 1 twice. */
    @Test
    void overwritesOfOneLbaWrapTheSeq() {
        CrashExplorer x = new CrashExplorer(BttVersion.V2_0, 512, 1, WriteOrder.LINUX, MediaErrors.NONE);
        x.prewrite(7).start(6, 8);
        for (int v = 1; v <= 7; v++) {
            x.write(7, v);
        }
        explored(x, "overwrites");
    }

    /** Four threads: two on their own LBAs, two on LBAs they share, meeting at a barrier before each round. */
    @Test
    void concurrentWriters() throws Exception {
        CrashExplorer x = new CrashExplorer(BttVersion.V1_1, 4096, 4, WriteOrder.LINUX, MediaErrors.NONE);
        x.prewrite(10, 11, 20).start(12, 21);
        int threads = 4;
        int rounds = 3;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int r = 1; r <= rounds; r++) {
                        barrier.await();
                        // threads 0 and 1 have LBAs 10 and 11 to themselves; 2 and 3 share 20
                        long lba = id < 2 ? 10 + id : 20;
                        x.writeConcurrently(lba, r * 10 + id);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        explored(x, "concurrent writers");
    }

    /** An LBA whose map carries E: its write logs the old block with E, and the freed block is cleared. */
    @Test
    void writingAnErroredLba() {
        CrashExplorer x = new CrashExplorer(BttVersion.V2_0, 4096, 1, WriteOrder.LINUX, MediaErrors.NONE);
        x.prewrite(3).markError(3).markError(4).start(2, 5);
        x.write(3, 1);
        x.write(4, 1);
        x.write(9, 1); // the lane's next free block is LBA 4's old one, cleared after its write
        explored(x, "errored LBAs");
    }

    /** The free block of the only lane is a known bad block: the write clears it before using it. */
    @Test
    void aBadFreeBlockIsClearedBeforeTheWrite() {
        BadFreeBlocks errors = new BadFreeBlocks();
        CrashExplorer x = new CrashExplorer(BttVersion.V1_1, 512, 1, WriteOrder.LINUX, errors);
        x.prewrite(1).start(0, 2);
        errors.markBlock(x, 1); // the only lane's free block: the one LBA 1 left
        x.write(1, 1);
        x.write(1, 2);
        explored(x, "bad free block");
        assertTrue(errors.cleared > 0, "the bad free block was not cleared");
    }
}
