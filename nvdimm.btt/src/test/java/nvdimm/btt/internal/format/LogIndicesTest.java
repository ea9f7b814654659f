package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** {@code log_set_indices}: which slots are live, (0,1) or (0,2), and what is rejected (ENXIO). */
class LogIndicesTest {

    private static final int EXT = 16105;
    private static final LogEntry P = LogEntry.PADDING;

    static List<LogGroup> fresh() {
        List<LogGroup> groups = new ArrayList<>();
        for (int lane = 0; lane < 256; lane++) {
            groups.add(LogGroup.fresh(lane, EXT));
        }
        return groups;
    }

    private static LogGroup group(LogEntry s0, LogEntry s1, LogEntry s2, LogEntry s3) {
        return new LogGroup(List.of(s0, s1, s2, s3));
    }

    private static NvdimmException rejected(List<LogGroup> groups) {
        NvdimmException e = assertThrows(NvdimmException.class, () -> LogIndices.detect(groups, "btt0.0 arena 0"));
        assertEquals(Errno.ENXIO, e.errno());
        assertTrue(e.getMessage().startsWith("btt0.0 arena 0: unable to deduce log/padding indices"), e.getMessage());
        return e;
    }

    @Test
    void anUntouchedLogIsTheCurrentLayout() {
        assertEquals(LogIndices.CURRENT, LogIndices.detect(fresh(), "a"));
        assertEquals(0, LogIndices.CURRENT.slot(0));
        assertEquals(1, LogIndices.CURRENT.slot(1));
        assertEquals(2, LogIndices.OLD.slot(1));
    }

    @Test
    void aLaneUsedInTheCurrentLayoutGivesZeroOne() {
        List<LogGroup> g = fresh();
        g.set(7, group(new LogEntry(7, EXT + 7, EXT + 7, 1), new LogEntry(0, 0, EXT + 7, 2), P, P));
        assertEquals(LogIndices.CURRENT, LogIndices.detect(g, "a"));
    }

    /** ndctl's btt-pad-compat image: lane 6 has slot 2 = {0, 0, 16111, 2}; every other lane is fresh. */
    @Test
    void btPadCompatsLaneSixGivesZeroTwo() {
        List<LogGroup> g = fresh();
        g.set(6, group(new LogEntry(6, 16111, 16111, 1), P, new LogEntry(0, 0, 16111, 2), P));
        assertEquals(LogIndices.OLD, LogIndices.detect(g, "a"));
    }

    @Test
    void theFirstUsedLaneDecidesAndLaterLanesMustFollow() {
        List<LogGroup> g = fresh();
        g.set(1, group(new LogEntry(1, EXT + 1, EXT + 1, 1), P, new LogEntry(0, 0, EXT + 1, 2), P));
        g.set(2, group(new LogEntry(2, EXT + 2, EXT + 2, 1), new LogEntry(0, 0, EXT + 2, 2), P, P));
        rejected(g);
    }

    @Test
    void aPaddingFirstSlotAfterDetectionIsRejected() {
        List<LogGroup> g = fresh();
        g.set(0, group(new LogEntry(0, EXT, EXT, 1), new LogEntry(0, 0, EXT, 2), P, P));
        g.set(9, group(P, new LogEntry(9, EXT + 9, EXT + 9, 1), P, P));
        rejected(g);
    }

    @Test
    void theSecondSlotMayBePaddingAfterDetection() {
        List<LogGroup> g = fresh();
        g.set(0, group(new LogEntry(0, EXT, EXT, 1), new LogEntry(0, 0, EXT, 2), P, P));
        assertEquals(LogIndices.CURRENT, LogIndices.detect(g, "a"));
    }

    @Test
    void threeLiveSlotsInALaneAreRejected() {
        List<LogGroup> g = fresh();
        LogEntry e = new LogEntry(0, 1, 2, 1);
        g.set(3, group(e, e, e, P));
        rejected(g);
    }

    @Test
    void liveSlotsOtherThanZeroOneOrZeroTwoAreAnUnknownScheme() {
        List<LogGroup> g = fresh();
        LogEntry e = new LogEntry(0, 1, 2, 1);
        g.set(0, group(e, P, P, e));
        assertTrue(rejected(g).getMessage().contains("(0,3)"));
        List<LogGroup> h = new ArrayList<>(fresh().subList(0, 1));
        h.set(0, group(P, e, e, P));
        assertTrue(rejected(h).getMessage().contains("(1,2)"));
        List<LogGroup> later = fresh();
        later.set(0, group(P, e, e, P));
        assertTrue(rejected(later).getMessage().contains("lane 1 slot 0 is live but should be padding"));
    }

    @Test
    void initialLanesWithSlotZeroGiveZeroOneButAnAllZeroLogIsRejected() {
        List<LogGroup> g = new ArrayList<>();
        for (int lane = 0; lane < 256; lane++) {
            g.add(group(new LogEntry(lane, 1, 1, 1), P, P, P));
        }
        assertEquals(LogIndices.CURRENT, LogIndices.detect(g, "a"), "every lane initial: (0,1)");
        List<LogGroup> all = new ArrayList<>();
        for (int lane = 0; lane < 256; lane++) {
            all.add(group(P, P, P, P));
        }
        // no live slot anywhere: log_index[0] stays unknown, which Linux rejects as an unknown scheme
        assertTrue(rejected(all).getMessage().contains("(-1,1)"));
    }
}
