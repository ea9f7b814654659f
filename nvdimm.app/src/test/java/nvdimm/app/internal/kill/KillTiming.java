package nvdimm.app.internal.kill;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * When to kill a child: a quarter of the kills land at a random moment of its start (framework start,
 * bus and BTT load with its recovery, the check, the dump), the rest at a random moment after its
 * workload began ({@code S} in its report). The start's length is learnt from the runs that reached it.
 */
final class KillTiming {

    private final SplittableRandom random;
    private final int workMillis;
    private long startMillis = 1500;
    private long early;
    private long late;

    KillTiming(SplittableRandom random, int workMillis) {
        this.random = random;
        this.workMillis = workMillis;
    }

    /** Waits for the kill moment of {@code child}, whose report is {@code report}. */
    void awaitMoment(ChildRuntime child, Path report) throws IOException, InterruptedException {
        if (random.nextInt(4) == 0) {
            early++;
            Thread.sleep(random.nextLong(startMillis + 1));
            return;
        }
        late++;
        long deadline = System.currentTimeMillis() + 120_000;
        while (!ReportLines.started(report)) {
            if (!child.isAlive()) {
                return; // kill() reports the exit
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the child did not start its workload within 120 s:\n" + child.output());
            }
            Thread.sleep(5);
        }
        startMillis = (startMillis * 3 + child.elapsedMillis()) / 4;
        Thread.sleep(random.nextInt(workMillis + 1));
    }

    String summary() {
        return early + " kills during start-up, " + late + " during the workload";
    }
}
