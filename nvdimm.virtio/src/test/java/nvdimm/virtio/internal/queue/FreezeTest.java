package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Patch 7/7: freeze drains outstanding requests before the ring goes and the device is reset; a
 * restored queue starts clean. Negative control: freezing without the drain strands the waiters.
 */
class FreezeTest {
    @Test
    void freezeDrainsThenRestoreStartsClean() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4);
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        Flusher b = Flusher.start(fx.queue, "B");
        Flusher.await("B waits", () -> fx.queue.stats().spaceWaiters() == 1);
        SplitRing old = fx.queue.ring();
        int head = fx.device.taken.pollFirst();

        fx.queue.freeze();
        assertEquals(Errno.EIO, a.finish());
        assertEquals(Errno.EIO, b.finish());
        assertEquals(1, fx.device.resets.size());
        assertSame(old, fx.device.resets.get(0));
        NvdimmException e = assertThrows(NvdimmException.class, fx.queue::flush);
        assertEquals(Errno.EIO, e.errno());

        fx.queue.restore();
        assertFalse(fx.queue.isBroken());
        assertNotSame(old, fx.queue.ring());
        assertFalse(fx.device.answer(old, head, 0), "a late answer on the old ring reaches nobody");
        Flusher c = Flusher.start(fx.queue, "C");
        Flusher.await("C's chain available", () -> fx.device.take() == 1);
        fx.device.answerOldest(0);
        assertNull(c.finish());
        QueueStats s = fx.queue.stats();
        assertEquals(0, s.doubleCompletions());
        assertEquals(0, s.lifetimeViolations());
        assertEquals(s.poolCapacity(), s.poolAvailable());
        assertTrue(fx.reports().isEmpty());
    }

    @Test
    void negativeControlFreezeWithoutDrainStrandsWaiters() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4, Doubles.NO_DRAIN);
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        Flusher b = Flusher.start(fx.queue, "B");
        Flusher.await("B waits", () -> fx.queue.stats().spaceWaiters() == 1);
        a.awaitBlocked();
        fx.queue.freeze();
        fx.queue.restore();
        assertFalse(a.returned());
        assertFalse(b.returned());
        assertEquals(1, fx.queue.stats().spaceWaiters());
        a.interrupt();
        b.interrupt();
        assertEquals(Errno.EINTR, a.finish());
        assertEquals(Errno.EINTR, b.finish());
    }
}
