package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;

/**
 * Patch 5/7: the submitter leaves early (interrupted while waiting for the host) while its request is
 * still published in the ring; the host answers late. With the queue's own reference the request is
 * not recycled until that late answer has been handled. Negative control: the submitter's drop
 * recycles it, and the late answer touches a request already back in the pool.
 */
class RequestLifetimeTest {
    private static Flusher submitterLeavesEarly(QueueFixture fx) throws Exception {
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        a.awaitBlocked();
        a.interrupt();
        assertEquals(Errno.EINTR, a.finish());
        return a;
    }

    @Test
    void lateCompletionNeverTouchesARecycledRequest() throws Exception {
        QueueFixture fx = new QueueFixture(4, 2);
        submitterLeavesEarly(fx);
        assertEquals(1, fx.queue.stats().poolAvailable(), "the ring still holds A's request");
        Flusher b = Flusher.start(fx.queue, "B");
        Flusher.await("B's chain available", () -> fx.device.take() == 1);
        assertTrue(fx.device.answerOldest(0)); // A's, late
        assertEquals(1, fx.queue.stats().poolAvailable());
        fx.device.answerOldest(0);
        assertNull(b.finish());
        QueueStats s = fx.queue.stats();
        assertEquals(0, s.lifetimeViolations());
        assertEquals(0, s.doubleCompletions());
        assertEquals(2, s.poolAvailable());
        assertTrue(fx.reports().isEmpty());
    }

    @Test
    void negativeControlSubmitterOwnedRequestIsTouchedAfterRecycle() throws Exception {
        QueueFixture fx = new QueueFixture(4, 2, Doubles.SUBMITTER_OWNED);
        submitterLeavesEarly(fx);
        assertEquals(2, fx.queue.stats().poolAvailable(), "recycled while still in the ring");
        fx.device.answerOldest(0);
        assertTrue(fx.queue.stats().lifetimeViolations() > 0, "the late answer touched a recycled request");
    }
}
