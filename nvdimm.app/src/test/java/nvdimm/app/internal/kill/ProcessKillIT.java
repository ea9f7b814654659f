package nvdimm.app.internal.kill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process kill: the packaged launcher in child JVMs, SIGKILLed at random moments while it writes to a
 * BTT namespace or creates and destroys namespaces, restarted on the same data directory each time and
 * checked (see {@link SectorKillScenario}, {@link LabelKillScenario}). 25 kills per scenario here;
 * {@code -Dnvdimm.kill.soak=N} runs N per scenario; {@code -Dnvdimm.kill.seed=S} repeats a run (the seed
 * is printed). The negative controls run the same pipeline with a writer that lies, and must fail.
 */
class ProcessKillIT {

    static final int KILLS = Integer.getInteger("nvdimm.kill.soak", 25);
    static final long SEED = Long.getLong("nvdimm.kill.seed", System.nanoTime());

    @TempDir
    Path tmp;

    @Test
    void acknowledgedAndFlushedSectorsSurviveSigkillAndNoneIsTorn() throws Exception {
        SectorKillScenario scenario = new SectorKillScenario(tmp, SEED, System.out);
        System.out.println("ProcessKillIT sectors: seed " + SEED + ", " + scenario.layout());
        scenario.setUp();
        try {
            scenario.run(KILLS);
            scenario.finish();
        } catch (AssertionError e) {
            throw new AssertionError("seed " + SEED + ", data " + scenario.data() + ": " + e.getMessage(), e);
        }
        System.out.println("ProcessKillIT sectors: " + KILLS + " kills, " + scenario.summary());
    }

    @Test
    void labelsMatchTheAcknowledgedNamespacesAfterSigkillDuringCreateAndDestroy() throws Exception {
        LabelKillScenario scenario = new LabelKillScenario(tmp, SEED, System.out);
        System.out.println("ProcessKillIT labels: seed " + SEED + ", labels v" + scenario.labelVersion());
        scenario.setUp();
        try {
            scenario.run(KILLS);
            scenario.finish();
        } catch (AssertionError e) {
            throw new AssertionError("seed " + SEED + ": " + e.getMessage(), e);
        }
        System.out.println("ProcessKillIT labels: " + KILLS + " kills, " + scenario.summary());
    }

    /**
     * The data directory's lock goes with a killed runtime: its lock file still names the dead process, and a
     * runtime started at once on the same directory is not refused.
     */
    @Test
    void aRuntimeKilledWithSigkillLeavesItsDataDirectoryFreeForTheNext() throws Exception {
        SectorKillScenario scenario = new SectorKillScenario(tmp, SEED, System.out);
        scenario.setUp();
        Path report = tmp.resolve("holder.txt");
        ChildRuntime holder = ChildRuntime.start(scenario.data(), "killtest:write pmem0s " + tmp.resolve("dump.bin")
                + " " + report + " 1 1 honest", tmp.resolve("logs"), "holder");
        Poll.until("the writer to start", () -> ReportLines.started(report) || !holder.isAlive());
        holder.kill();
        assertEquals(holder.pid() + "\n", Files.readString(scenario.data().resolve("lock")));
        ChildRuntime next = ChildRuntime.start(scenario.data(), "ndctl:list -N", tmp.resolve("logs"), "next");
        assertEquals(0, next.await(120), next.output());
        assertTrue(next.stdout().contains("\"blockdev\":\"pmem0s\""), next.output());
    }

    /** Negative control: an acknowledged write that never reached the device is caught. */
    @Test
    void aWriterThatAcknowledgesAWriteItNeverMadeIsCaught() throws Exception {
        SectorKillScenario scenario = new SectorKillScenario(tmp, SEED, System.out);
        scenario.setUp();
        scenario.cycle("lost");
        AssertionError caught = assertThrows(AssertionError.class, scenario::finish);
        assertTrue(caught.getMessage().contains("LBA 7: lost: reads its initial zeros"), caught.getMessage());
    }

    /** Negative control: a sector holding halves of two versions is caught. */
    @Test
    void aTornSectorIsCaught() throws Exception {
        SectorKillScenario scenario = new SectorKillScenario(tmp, SEED, System.out);
        scenario.setUp();
        scenario.cycle("torn");
        AssertionError caught = assertThrows(AssertionError.class, scenario::finish);
        assertTrue(caught.getMessage().contains("LBA 7: torn: "), caught.getMessage());
    }
}
