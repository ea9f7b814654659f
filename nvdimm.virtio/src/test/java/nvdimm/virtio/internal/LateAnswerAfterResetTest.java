package nvdimm.virtio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.virtio.VirtioFault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host answer that arrives after the queue was reset (freeze, restore) belongs to the old ring: it must not
 * complete the new ring's request on the same descriptor head, whose own force has not started. With one
 * descriptor the new request always takes the old head. Deterministic: the host holds the old answer with
 * {@code late}, and the new request's force with {@code delay}. Negative control: answers shared across rings.
 */
@Timeout(60)
class LateAnswerAfterResetTest {

    @TempDir
    Path dir;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private VirtioPmemDevice device;

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
        pool.shutdownNow();
    }

    private static void flush(RegionDescriptor r) {
        try {
            r.flushHandler().flush().toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (NvdimmException) e.getCause();
        }
    }

    /** True when the new request completed before its own force: the bug. */
    private boolean newRequestCompletedWithoutItsForce(boolean answersPerRing) throws Exception {
        device = VirtioPmemDevice.open(new VirtioSpec("test", "vp", dir.resolve("vp" + answersPerRing + ".img"),
                1 << 20, 1, 1), 1L << 40, new Lockdep(LockdepMode.THROW), answersPerRing);
        RegionDescriptor r = device.bus().regions().getFirst();
        device.inject(VirtioFault.LATE, 60_000, 1);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> flush(r), pool);
        while (device.host().forces() < 1) { // A forced; its answer held back
            Thread.sleep(1);
        }
        device.queue().freeze(); // A drained with EIO; the old ring is gone
        device.queue().restore();
        ExecutionException failedA = assertThrows(ExecutionException.class, () -> a.get(30, TimeUnit.SECONDS));
        assertEquals(Errno.EIO, ((NvdimmException) failedA.getCause()).errno());

        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> flush(r), pool);
        while (device.queue().stats().submitted() < 2 || device.host().pending() < 1) { // B waits for the worker
            Thread.sleep(1);
        }
        device.inject(VirtioFault.DELAY, 60_000, 1); // B's force will wait
        device.host().faults().late(0); // A's answer goes now, then the worker takes B's batch
        while (device.host().pending() > 0) {
            Thread.sleep(1);
        }
        // The worker has answered A and holds B's batch in its delay: B's force has not started.
        boolean bug = b.isDone() || device.queue().stats().completed() > 0;
        device.host().faults().clear();
        b.get(30, TimeUnit.SECONDS); // in either variant B completes in the end
        if (!bug) {
            assertEquals(2, device.host().forces(), "B was answered by a force that began after it");
        }
        return bug;
    }

    @Test
    void aLateAnswerToAResetRingNeverCompletesTheNewRingsRequest() throws Exception {
        assertFalse(newRequestCompletedWithoutItsForce(true));
    }

    @Test
    void negativeControlAnswersSharedAcrossRingsCompleteTheNewRequestBeforeItsForce() throws Exception {
        assertTrue(newRequestCompletedWithoutItsForce(false));
    }
}
