package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/**
 * What the write and read paths will call per sector allocates nothing: finding the arena, decoding and
 * encoding a map entry, the next seq and the older slot, and writing a log slot in two halves. Measured with
 * the thread's allocation counter over many calls (no timing). One object per call would be at least 16 bytes
 * each, 3.2 MB in all; the slack of a byte per 16 calls covers what the JIT and the counter allocate once.
 */
class HotPathAllocationTest {

    private static final int CALLS = 200_000;

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        return (com.sun.management.ThreadMXBean) bean;
    }

    /** Negative control: the load-time group reader, which allocates per call, is over the bound. */
    @Test
    void theMeasureSeesAnAllocationPerCall() {
        com.sun.management.ThreadMXBean threads = threads();
        try (Medium medium = Media.memory("log", 1 << 20)) {
            long before = threads.getCurrentThreadAllocatedBytes();
            long sink = 0;
            for (int i = 0; i < CALLS; i++) {
                sink += LogGroup.read(medium, 64L * (i % 256)).slot(0).seq();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated >= CALLS / 16, allocated + " bytes allocated by " + CALLS + " group reads");
            assertEquals(0, sink);
        }
    }

    @Test
    void perSectorFormatCallsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = threads();
        BttLayout layout = BttLayout.plan((512L << 30) + (64L << 20), 4096);
        ArenaIndex index = new ArenaIndex(layout.arenas());
        ArenaGeometry arena = ArenaGeometry.layout(0, 16L << 20, 4096, 0);
        try (Medium medium = Media.memory("log", 1 << 20)) {
            long sink = work(index, arena, medium, 1000); // warm up
            long before = threads.getCurrentThreadAllocatedBytes();
            sink += work(index, arena, medium, CALLS);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < CALLS / 16, allocated + " bytes allocated over " + CALLS + " calls");
            assertTrue(sink != 42);
            assertEquals(new LogEntry(CALLS - 1, MapEntry.normal(CALLS - 1), 7, LogSeq.next((CALLS - 1) % 3 + 1)),
                    LogEntry.decode(read(medium, 64 * ((CALLS - 1) % 256), 16), 0));
        }
    }

    private static long work(ArenaIndex index, ArenaGeometry arena, Medium medium, int calls) {
        long sink = 0;
        for (int i = 0; i < calls; i++) {
            long lba = (i * 7919L) % index.externalNlba();
            int a = index.arenaOf(lba);
            long premap = index.premap(lba, a);
            int raw = MapEntry.normal(premap);
            sink += MapEntry.postMap(raw, premap) + MapEntry.state(raw).ordinal() + arena.mapEntryOffset(premap & 1023)
                    + arena.dataBlockOffset(premap & 1023);
            int seq = LogSeq.next(i % 3 + 1);
            sink += LogSeq.older(seq, LogSeq.next(seq));
            LogWriter.writeSlot(medium, 64L * (i % 256), i, MapEntry.normal(i), 7, seq);
        }
        return sink;
    }

    private static byte[] read(Medium medium, long offset, int length) {
        byte[] b = new byte[length];
        medium.read(offset, b);
        return b;
    }
}
