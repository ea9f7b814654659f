package nvdimm.app.internal.kill;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
