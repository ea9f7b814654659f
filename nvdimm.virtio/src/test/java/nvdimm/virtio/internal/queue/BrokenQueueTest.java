package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Patch 6/7: the first failure marks the queue broken, wakes every ENOSPC and completion waiter,
 * drains used and detaches unused chains completing each with EIO once; later flushes fail at once.
 * Negative control: a break that only sets the flag leaves both kinds of waiter asleep.
 */
class BrokenQueueTest {
    /** One descriptor: A with the device, B and C waiting for it. */
    private static Flusher[] busy(QueueFixture fx) throws Exception {
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        Flusher b = Flusher.start(fx.queue, "B");
        Flusher.await("B waits", () -> fx.queue.stats().spaceWaiters() == 1);
        Flusher c = Flusher.start(fx.queue, "C");
        Flusher.await("C waits", () -> fx.queue.stats().spaceWaiters() == 2);
        a.awaitBlocked();
        return new Flusher[] {a, b, c};
    }

    private static void assertConverged(QueueFixture fx, int failedInRing) {
        QueueStats s = fx.queue.stats();
        assertTrue(s.broken());
        assertEquals(failedInRing, s.failed());
        assertEquals(s.submitted(), s.completed() + s.failed());
        assertEquals(0, s.doubleCompletions());
        assertEquals(0, s.lifetimeViolations());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.spaceWaiters());
        assertEquals(s.poolCapacity(), s.poolAvailable());
        assertEquals(1, s.breaks());
        int notifies = fx.device.notifies.get();
        NvdimmException e = assertThrows(NvdimmException.class, fx.queue::flush);
        assertEquals(Errno.EIO, e.errno());
        assertEquals(notifies, fx.device.notifies.get(), "a flush on a broken queue does not reach the device");
        assertTrue(fx.reports().isEmpty());
    }

    @Test
    void explicitBreakWakesEveryWaiterWithEio() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4);
        Flusher[] all = busy(fx);
        int head = fx.device.taken.peekFirst();
        fx.queue.markBroken();
        for (Flusher f : all) {
            assertEquals(Errno.EIO, f.finish(), f.getName());
        }
        assertFalse(fx.device.answer(fx.queue.ring(), head, 0), "a late answer to a detached chain is refused");
        assertConverged(fx, 1);
    }

    @Test
    void usedButUnreclaimedChainsAreDrainedWithEio() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4);
        Flusher[] all = busy(fx);
        fx.queue.ring().pushUsed(fx.device.taken.pollFirst(), 0); // answered, no interrupt yet
        fx.queue.markBroken();
        for (Flusher f : all) {
            assertEquals(Errno.EIO, f.finish(), f.getName());
        }
        assertConverged(fx, 1);
    }

    @Test
    void kickFailureBreaksTheQueue() throws Exception {
        QueueFixture fx = new QueueFixture(2, 4);
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        a.awaitBlocked();
        fx.device.failKicks = 1;
        NvdimmException e = assertThrows(NvdimmException.class, fx.queue::flush);
        assertEquals(Errno.EIO, e.errno());
        assertEquals(Errno.EIO, a.finish(), "A's request was detached with EIO");
        assertConverged(fx, 2);
    }

    @Test
    void negativeControlBreakWithoutDrainLeavesWaitersAsleep() throws Exception {
        QueueFixture fx = new QueueFixture(1, 4, Doubles.NO_DRAIN);
        Flusher[] all = busy(fx);
        fx.queue.markBroken();
        QueueStats s = fx.queue.stats();
        assertEquals(0, s.failed(), "nothing completed the request in the ring");
        assertEquals(1, s.inFlight());
        assertEquals(2, s.spaceWaiters(), "nobody woke the ENOSPC waiters");
        for (Flusher f : all) {
            assertFalse(f.returned(), f.getName());
            f.interrupt(); // clean-up
        }
        for (Flusher f : all) {
            assertEquals(Errno.EINTR, f.finish(), f.getName());
        }
    }
}
