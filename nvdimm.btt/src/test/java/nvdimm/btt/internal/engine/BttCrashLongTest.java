package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.region.LanePolicy;

/**
 * The crash explorer's long run, over 10^5 crash images (several minutes): off by default, on with
 * {@code -Dbtt.crash.long=true}:
 *
 * <pre>{@code
 * mvn -B -pl nvdimm.btt -am verify -Dtest=BttCrashLongTest -Dsurefire.failIfNoSpecifiedTests=false -Dbtt.crash.long=true
 * }</pre>
 *
 * One writer spread round-robin over all 256 lanes (every lane's seq wraps) on random LBAs, some prewritten,
 * some with the error flag, for four sector sizes (512, 520, 4096, 4224) and both versions; 1000 overwrites
 * of one LBA through one lane; eight concurrent writers on shared and own LBAs; and writes whose free blocks
 * are bad. The CI-sized workloads are {@link BttCrashTest} and {@link TwoArenaCrashTest}.
 */
@EnabledIfSystemProperty(named = "btt.crash.long", matches = "true")
class BttCrashLongTest {

    private static final int SAMPLES = 8;
    private long total;

    private long explored(CrashExplorer x, String workload) {
        long images = x.explore(SAMPLES, 1234);
        total += images;
        System.out.println("crash explorer, long run: " + workload + " (" + x.version + ", " + x.lbasize + "): "
                + images + " crash images, 0 failures; " + total + " so far");
        return images;
    }

    @Test
    void overAHundredThousandImages() throws Exception {
        Object[][] configs = {{BttVersion.V1_1, 512}, {BttVersion.V2_0, 4096}, {BttVersion.V1_1, 520},
            {BttVersion.V2_0, 4224}};
        for (Object[] c : configs) {
            BttVersion version = (BttVersion) c[0];
            int lbasize = (Integer) c[1];
            CrashExplorer x = new CrashExplorer(version, lbasize, 256, LanePolicy.ROUND_ROBIN, WriteOrder.LINUX,
                    MediaErrors.NONE);
            long last = x.btt.sectors() - 1;
            long[] lbas = new long[64];
            for (int i = 0; i < lbas.length; i++) {
                lbas[i] = i < 48 ? i * 3 + 1 : last - (i - 48);
            }
            x.prewrite(1, 4, 7, 10, last).markError(13).markError(last - 1).start(0, 2, 3, 500, last - 20);
            SplittableRandom rnd = new SplittableRandom(lbasize);
            for (int op = 1; op <= 1000; op++) {
                x.write(lbas[rnd.nextInt(lbas.length)], op);
            }
            explored(x, "one writer over 256 lanes, 1000 writes");
        }

        CrashExplorer one = new CrashExplorer(BttVersion.V2_0, 512, 1, WriteOrder.LINUX, MediaErrors.NONE);
        one.prewrite(9).start(8, 10);
        for (int v = 1; v <= 1000; v++) {
            one.write(9, v);
        }
        explored(one, "1000 overwrites of one LBA through one lane");

        for (int round = 0; round < 2; round++) {
            CrashExplorer many = new CrashExplorer(round == 0 ? BttVersion.V1_1 : BttVersion.V2_0,
                    round == 0 ? 4096 : 512, 8, LanePolicy.STICKY, WriteOrder.LINUX, MediaErrors.NONE);
            many.prewrite(100, 101, 102).start(99, 200);
            int threads = 8;
            CyclicBarrier barrier = new CyclicBarrier(threads);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int r = 1; r <= 150; r++) {
                            if (r % 10 == 1) {
                                barrier.await();
                            }
                            long lba = id < 4 ? 100 + (id % 3) : 110 + id * 2 + (r % 2);
                            many.writeConcurrently(lba, r * 16 + id);
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
            explored(many, "8 concurrent writers, 1200 writes");
        }

        BadFreeBlocks errors = new BadFreeBlocks();
        CrashExplorer bad = new CrashExplorer(BttVersion.V1_1, 4096, 1, WriteOrder.LINUX, errors);
        bad.prewrite(1).start(0, 8);
        for (int v = 1; v <= 300; v++) {
            if (v % 3 == 1) {
                errors.markBlock(bad, bad.btt.arenas().getFirst().geometry().externalNlba()); // a spare block
                errors.markBlock(bad, 1);
            }
            bad.write(1 + v % 5, v);
        }
        explored(bad, "300 writes over bad free blocks");
        assertTrue(errors.cleared > 0);
        System.out.println("crash explorer, long run: " + total + " crash images, 0 failures");
        assertTrue(total >= 100_000, total + " crash images");
    }
}
