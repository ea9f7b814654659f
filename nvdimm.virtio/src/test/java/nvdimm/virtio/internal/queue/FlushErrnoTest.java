package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** Patch 1/7 and the plain outcomes of flush: 0, EIO from the host, ENOMEM unchanged. */
class FlushErrnoTest {
    @Test
    void answeredFlushReturnsNormally() throws Exception {
        QueueFixture fx = new QueueFixture(4, 4);
        Flusher f = Flusher.start(fx.queue, "flusher");
        Flusher.await("chain available", () -> fx.device.take() == 1);
        assertTrue(fx.device.answerOldest(0));
        assertNull(f.finish());
        QueueStats s = fx.queue.stats();
        assertEquals(1, s.submitted());
        assertEquals(1, s.completed());
        assertEquals(4, s.poolAvailable());
        assertEquals(0, s.inFlight());
        assertTrue(fx.reports().isEmpty());
    }

    @Test
    void hostFailureIsEioAndDoesNotBreakTheQueue() throws Exception {
        QueueFixture fx = new QueueFixture(4, 4);
        Flusher f = Flusher.start(fx.queue, "flusher");
        Flusher.await("chain available", () -> fx.device.take() == 1);
        fx.device.answerOldest(1);
        assertEquals(Errno.EIO, f.finish());
        assertFalse(fx.queue.isBroken());
        Flusher g = Flusher.start(fx.queue, "next");
        Flusher.await("chain available", () -> fx.device.take() == 1);
        fx.device.answerOldest(0);
        assertNull(g.finish());
    }

    /** 1/7: a request that cannot be had is ENOMEM, not EIO (memory pressure is not a media error). */
    @Test
    void requestAllocationFailureStaysEnomem() throws Exception {
        QueueFixture fx = new QueueFixture(4, 1);
        Flusher holder = Flusher.start(fx.queue, "holder");
        Flusher.await("chain available", () -> fx.device.take() == 1);
        NvdimmException e = assertThrows(NvdimmException.class, fx.queue::flush);
        assertEquals(Errno.ENOMEM, e.errno());
        assertFalse(fx.queue.isBroken());
        fx.device.answerOldest(0);
        assertNull(holder.finish());
        assertEquals(1, fx.queue.stats().poolAvailable());
    }
}
