package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.bus.Medium;

/**
 * Negative controls of the crash explorer: a sector write that breaks one rule of Linux's order (map before
 * log, the log's sequence half first, data not persisted before the log) leaves crash images the explorer
 * rejects. The same workload in Linux's order passes ({@link #theWorkloadPassesInLinuxOrder()}).
 */
class BttCrashNegativeTest {

    /** A writer, its workload, the exploration; the explorer's verdict is thrown. */
    private static long run(WriteOrder order) {
        CrashExplorer x = new CrashExplorer(BttVersion.V1_1, 512, 2, order, MediaErrors.NONE);
        x.prewrite(1, 2).start(0, 3, 4);
        x.write(1, 1);
        x.write(5, 1);
        x.write(2, 1);
        x.write(1, 2);
        return x.explore(BttCrashTest.SAMPLES, 7);
    }

    private static void caught(WriteOrder order, String what) {
        AssertionError e = assertThrows(AssertionError.class, () -> run(order), what + " was not caught");
        assertTrue(e.getMessage().contains("crash point"), e.getMessage());
        System.out.println("crash explorer, negative control: " + what + ": " + e.getMessage());
    }

    @Test
    void theWorkloadPassesInLinuxOrder() {
        assertTrue(run(WriteOrder.LINUX) > 0);
    }

    @Test
    void mapBeforeLogIsCaught() {
        caught(new WriteOrder() {
            private long slot;
            private long first;
            private long second;

            @Override
            public void data(Medium medium, long at, MemorySegment src, long srcOffset, long length) {
                LINUX.data(medium, at, src, srcOffset, length);
            }

            @Override
            public void log(Medium medium, long slot, long firstHalf, long secondHalf) {
                this.slot = slot;
                this.first = firstHalf;
                this.second = secondHalf;
            }

            @Override
            public void map(Medium medium, long at, int entry) {
                LINUX.map(medium, at, entry);
                LINUX.log(medium, slot, first, second);
            }
        }, "the map persisted before the log");
    }

    @Test
    void sequenceHalfFirstIsCaught() {
        caught(new WriteOrder() {
            @Override
            public void data(Medium medium, long at, MemorySegment src, long srcOffset, long length) {
                LINUX.data(medium, at, src, srcOffset, length);
            }

            @Override
            public void log(Medium medium, long slot, long firstHalf, long secondHalf) {
                medium.writeLong(slot + Long.BYTES, secondHalf);
                medium.persist(slot + Long.BYTES, Long.BYTES);
                medium.writeLong(slot, firstHalf);
                medium.persist(slot, Long.BYTES);
            }

            @Override
            public void map(Medium medium, long at, int entry) {
                LINUX.map(medium, at, entry);
            }
        }, "the log's sequence half written first");
    }

    @Test
    void dataNotPersistedBeforeTheLogIsCaught() {
        caught(new WriteOrder() {
            @Override
            public void data(Medium medium, long at, MemorySegment src, long srcOffset, long length) {
                medium.write(at, src, srcOffset, length);
            }

            @Override
            public void log(Medium medium, long slot, long firstHalf, long secondHalf) {
                LINUX.log(medium, slot, firstHalf, secondHalf);
            }

            @Override
            public void map(Medium medium, long at, int entry) {
                LINUX.map(medium, at, entry);
            }
        }, "data not persisted before the log");
    }
}
