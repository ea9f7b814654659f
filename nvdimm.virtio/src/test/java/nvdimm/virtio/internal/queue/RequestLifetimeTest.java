package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    /** Pauses the interrupt side after it woke the submitter and before it dropped the request. */
    private static final class PauseAfterWake implements Protections {
        private final Protections base;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile FlushRequest held;

        PauseAfterWake(Protections base) {
            this.base = base;
        }

        @Override
        public void descriptorReclaimed(SpaceWaiters waiters) {
            base.descriptorReclaimed(waiters);
        }

        @Override
        public boolean queueHoldsReference() {
            return base.queueHoldsReference();
        }

        @Override
        public boolean drainOnBreak() {
            return base.drainOnBreak();
        }

        @Override
        public void completionPublished(FlushRequest r) {
            held = r;
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The KASAN case: the submitter sees {@code done} without the lock and leaves while the interrupt
     * side still holds the request between its wake and its drop.
     */
    private static PauseAfterWake submitterLeavesWhileInterruptHoldsRequest(QueueFixture fx, PauseAfterWake pause)
            throws Exception {
        Flusher a = Flusher.start(fx.queue, "A");
        Flusher.await("A's chain available", () -> fx.device.take() == 1);
        Thread irq = new Thread(() -> fx.device.answerOldest(0), "virtio-pmem0 irq");
        irq.start();
        assertTrue(pause.entered.await(20, TimeUnit.SECONDS));
        assertNull(a.finish(), "A returned while the interrupt side still runs");
        return pause;
    }

    @Test
    void submitterLeavingBeforeTheInterruptSideDropsDoesNotRecycle() throws Exception {
        PauseAfterWake pause = new PauseAfterWake(Protections.SERIES_2026);
        QueueFixture fx = new QueueFixture(4, 2, pause);
        submitterLeavesWhileInterruptHoldsRequest(fx, pause);
        assertFalse(pause.held.isFree(), "still owned by the queue");
        assertEquals(1, pause.held.refs.get());
        pause.release.countDown();
        Flusher.await("request back in the pool", () -> pause.held.isFree());
        QueueStats s = fx.queue.stats();
        assertEquals(0, s.lifetimeViolations());
        assertEquals(2, s.poolAvailable());
        assertTrue(fx.reports().isEmpty());
    }

    @Test
    void negativeControlSubmitterOwnedIsRecycledUnderTheInterruptSide() throws Exception {
        PauseAfterWake pause = new PauseAfterWake(Doubles.SUBMITTER_OWNED);
        QueueFixture fx = new QueueFixture(4, 2, pause);
        submitterLeavesWhileInterruptHoldsRequest(fx, pause);
        assertTrue(pause.held.isFree(), "recycled while the interrupt side holds it");
        pause.release.countDown();
        Flusher.await("interrupt side done", () -> fx.queue.stats().lifetimeViolations() > 0);
    }
}
