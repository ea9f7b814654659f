package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;

/**
 * Patch 3/7: one reclaimed descriptor releases exactly one ENOSPC waiter, the first (FIFO), before and
 * whatever the token handling. Negative controls: waking none leaves a waiter asleep beside a free
 * descriptor; waking all is not "exactly one".
 */
class SpaceWaiterWakeTest {
    /** Queue of one descriptor: A holds it, B, C, D wait in that order; the host answers A. */
    private static Flusher[] fillAndQueue(QueueFixture fx) throws Exception {
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        Flusher[] waiting = new Flusher[3];
        for (int i = 0; i < 3; i++) {
            waiting[i] = Flusher.start(fx.queue, String.valueOf((char) ('B' + i)));
            int expected = i + 1;
            Flusher.await("waiter " + expected, () -> fx.queue.stats().spaceWaiters() == expected);
        }
        fx.device.answerOldest(0);
        assertNull(a.finish());
        return waiting;
    }

    @Test
    void oneWaiterPerReclaimedDescriptorInFifoOrder() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4);
        Flusher[] w = fillAndQueue(fx);
        assertEquals(1, fx.queue.stats().spaceWakeups());
        for (Flusher next : w) {
            Flusher.await(next.getName() + "'s chain available", () -> fx.device.take() == 1);
            fx.device.answerOldest(0);
            assertNull(next.finish(), next.getName() + " should be the one served");
        }
        QueueStats s = fx.queue.stats();
        assertEquals(3, s.spaceWakeups());
        assertEquals(0, s.spaceWaiters());
        assertEquals(4, s.poolAvailable());
        assertTrue(fx.reports().isEmpty());
    }

    /** The reclaimed request's submitter already left (interrupted): the descriptor still goes to B. */
    @Test
    void abandonedRequestStillReleasesItsDescriptor() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4);
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        Flusher b = Flusher.start(fx.queue, "B");
        Flusher.await("B waits", () -> fx.queue.stats().spaceWaiters() == 1);
        a.awaitBlocked();
        a.interrupt();
        assertEquals(Errno.EINTR, a.finish());
        fx.device.answerOldest(0); // late, nobody waits for it
        assertEquals(1, fx.queue.stats().spaceWakeups());
        Flusher.await("B's chain available", () -> fx.device.take() == 1);
        fx.device.answerOldest(0);
        assertNull(b.finish());
        QueueStats s = fx.queue.stats();
        assertEquals(0, s.lifetimeViolations());
        assertEquals(s.poolCapacity(), s.poolAvailable());
    }

    @Test
    void negativeControlWakeNoneLeavesWaitersBesideAFreeDescriptor() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4, Doubles.WAKE_NONE);
        Flusher[] w = fillAndQueue(fx);
        QueueStats s = fx.queue.stats();
        assertEquals(0, s.spaceWakeups(), "no waiter released");
        assertEquals(3, s.spaceWaiters());
        assertEquals(0, s.inFlight(), "the descriptor is free, nobody uses it");
        for (Flusher f : w) {
            assertFalse(f.returned());
        }
        fx.queue.markBroken(); // clean-up: the drain wakes them
        for (Flusher f : w) {
            assertEquals(Errno.EIO, f.finish());
        }
    }

    @Test
    void negativeControlWakeAllReleasesMoreThanOne() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4, Doubles.WAKE_ALL);
        Flusher[] w = fillAndQueue(fx);
        assertEquals(3, fx.queue.stats().spaceWakeups(), "three woken for one descriptor");
        fx.queue.markBroken();
        for (Flusher f : w) {
            f.finish();
        }
    }
}
