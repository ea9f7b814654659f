package nvdimm.emul.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class InFlightTest {

    private final InFlight inFlight = new InFlight(Fixtures.lockdep().newWaitPoint(Locks.MEDIUM_CLOSE));

    @Test
    void balancedAccessesFromManyThreadsLeaveNothingInFlight() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    int outer = inFlight.enter();
                    int inner = inFlight.enter(); // nested on one thread: counted twice
                    inFlight.exit(inner);
                    inFlight.exit(outer);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertTrue(inFlight.idle(), "an access was counted in and never out");
        inFlight.close(); // returns at once: nothing is in flight
        assertTrue(inFlight.isClosed());
    }

    @Test
    void closeWaitsForAnAccessInFlightAndLaterAccessesAreRefused() throws Exception {
        int cell = inFlight.enter();
        Thread closer = Thread.ofPlatform().start(inFlight::close);
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait();
        }
        assertTrue(closer.isAlive(), "close returned while an access was in flight");
        assertEquals(-1, inFlight.enter(), "an access after close began is refused");
        inFlight.exit(cell);
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(inFlight.isClosed());
        assertEquals(-1, inFlight.enter());
        inFlight.close(); // idempotent, returns at once
    }
}
