package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

/**
 * The happy path allocates nothing per flush: take, add, kick, reclaim, complete, drop. The device here
 * answers inside the kick on the submitter's thread (re-entering {@code pmem_lock}, which only an OFF
 * validator allows, and which the device contract forbids elsewhere) so that the whole path runs on one
 * thread, uncontended (a contended JDK lock allocates a queue node, which is not the queue's doing), and
 * the JVM's per-thread allocation counter sees all of it.
 */
class FlushAllocationTest {
    private static final int WARMUP = 50_000;
    private static final int FLUSHES = 50_000;

    private static final class InlineDevice implements VirtioDevice {
        VirtioPmemQueue queue;

        @Override
        public boolean notify(SplitRing ring) {
            int head;
            while ((head = ring.popAvailable()) >= 0) {
                ring.pushUsed(head, 0);
            }
            queue.interrupt();
            return true;
        }

        @Override
        public void reset(SplitRing ring) {
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void happyPathAllocatesNothingPerFlush() {
        Lockdep lockdep = new Lockdep(LockdepMode.OFF, r -> { });
        QueueLocks.register(lockdep);
        InlineDevice device = new InlineDevice();
        VirtioPmemQueue queue = new VirtioPmemQueue("virtio-pmem0", lockdep, device, 4, 4);
        device.queue = queue;
        for (int i = 0; i < WARMUP; i++) {
            queue.flush();
        }
        long before = allocatedBytes();
        for (int i = 0; i < FLUSHES; i++) {
            queue.flush();
        }
        long allocated = allocatedBytes() - before;
        assertEquals(WARMUP + FLUSHES, queue.stats().completed());
        // one small object per flush would be >= 16 bytes each; allow a little noise in total
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + FLUSHES + " flushes");
    }
}
