package nvdimm.virtio.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import nvdimm.bus.Errno;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.virtio.internal.host.OrderingClock.Probe;
import nvdimm.virtio.internal.host.OrderingClock.StampingForcer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fault, deterministically: waits are for states, never for durations. */
class HostFaultsTest {
    /** Longer than any test: a delay that only clear() or close() ends. */
    private static final long FOREVER_MS = TimeUnit.HOURS.toMillis(1);
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);
    private final OrderingClock clock = new OrderingClock();
    private final HostFaults faults = new HostFaults();
    private final StampingForcer forcer = clock.new StampingForcer(false);
    private final HostBackend host = new HostBackend("d0", forcer, 1, 128, faults, lockdep);

    @AfterEach
    void close() {
        host.close();
        assertTrue(lockdep.reports().isEmpty(), () -> "lockdep: " + lockdep.reports());
    }

    private Probe flush() {
        Probe p = clock.new Probe();
        host.submit(p);
        return p;
    }

    private static void until(String what, BooleanSupplier state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!state.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void failNextFailsExactlyThatManyFlushesWithEio() {
        faults.failNext(2);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Probe p = flush();
            p.await();
            statuses.add(p.status);
            if (p.status != 0) {
                assertEquals(Errno.EIO, p.failure.errno());
                assertTrue(p.failure.getMessage().contains("d0"));
            }
        }
        assertEquals(List.of(HostBackend.FAILED, HostBackend.FAILED, 0, 0), statuses);
        assertEquals(0, faults.failuresLeft());
        assertEquals(2, host.failed());
        assertEquals(2, host.acknowledged());
    }

    @Test
    void aDelayedForceStartsOnlyWhenTheDelayEnds() {
        faults.delay(FOREVER_MS);
        Probe p = flush();
        until("the worker holds the request", () -> host.pending() == 0);
        assertEquals(0, forcer.forces.get(), "no force during the delay");
        assertEquals(1, p.done.getCount());
        faults.clear();
        p.await();
        assertEquals(0, p.status);
        assertEquals(1, forcer.forces.get());
        assertEquals(List.of(), OrderingClock.orderingViolations(List.of(p)));
    }

    @Test
    void closeDuringADelayFailsTheHeldRequestWithoutForcing() {
        faults.delay(FOREVER_MS);
        Probe p = flush();
        until("the worker holds the request", () -> host.pending() == 0);
        host.close();
        assertEquals(0, p.done.getCount(), "answered by the time close returns");
        assertEquals(HostBackend.FAILED, p.status);
        assertEquals(Errno.EIO, p.failure.errno());
        assertEquals(0, forcer.forces.get());
    }

    @Test
    void aLateAnswerComesAfterItsForceEnded() {
        faults.late(FOREVER_MS);
        Probe p = flush();
        until("the force ran", () -> forcer.forces.get() == 1);
        assertEquals(1, p.done.getCount(), "forced but not yet answered");
        faults.late(0);
        p.await();
        assertEquals(0, p.status);
        assertEquals(1, forcer.forces.get());
    }

    @Test
    void closeDuringALateAnswerDeliversItsStatusAtOnce() {
        faults.late(FOREVER_MS);
        Probe p = flush();
        until("the force ran", () -> forcer.forces.get() == 1);
        host.close();
        assertEquals(0, p.done.getCount());
        assertEquals(0, p.status, "the force succeeded: its answer stands");
    }

    @Test
    void aSilentHostAnswersNothingUntilCleared() {
        faults.silent(true);
        List<Probe> probes = List.of(flush(), flush(), flush());
        assertEquals(3, host.pending(), "a silent host takes nothing");
        assertEquals(0, forcer.forces.get());
        probes.forEach(p -> assertEquals(1, p.done.getCount()));
        faults.clear();
        probes.forEach(Probe::await);
        probes.forEach(p -> assertEquals(0, p.status));
        assertEquals(1, forcer.forces.get(), "the three waited together: one force after the fault cleared");
        assertEquals(List.of(), OrderingClock.orderingViolations(probes));
    }

    @Test
    void silenceDuringAForceHoldsItsAnswersForALaterForce() {
        StampingForcer blocking = clock.new StampingForcer(true);
        HostFaults f = new HostFaults();
        try (HostBackend h = new HostBackend("d1", blocking, 1, 128, f, lockdep)) {
            Probe p = clock.new Probe();
            h.submit(p);
            OrderingClock.awaitOrFail(blocking.firstStarted);
            f.silent(true);
            blocking.release.countDown();
            until("the batch went back", () -> h.pending() == 1);
            assertEquals(1, p.done.getCount());
            f.clear();
            p.await();
            assertEquals(0, p.status);
            assertEquals(2, blocking.forces.get());
            assertEquals(List.of(), OrderingClock.orderingViolations(List.of(p)));
        }
    }

    @Test
    void closeWhileSilentFailsEveryPendingRequestPromptly() {
        faults.silent(true);
        List<Probe> probes = List.of(flush(), flush(), flush(), flush());
        host.close();
        for (Probe p : probes) {
            assertEquals(0, p.done.getCount(), "answered by the time close returns");
            assertEquals(1, p.answers.get());
            assertEquals(HostBackend.FAILED, p.status);
            assertNotNull(p.failure);
            assertEquals(Errno.EIO, p.failure.errno());
        }
        assertEquals(0, forcer.forces.get());
        Probe after = flush();
        assertEquals(HostBackend.FAILED, after.status, "a closed host fails new requests at once");
        assertTrue(host.isClosed());
        assertFalse(after.failure.getMessage().isEmpty());
    }

    @Test
    void negativeFaultValuesAreRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> faults.failNext(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> faults.delay(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> faults.late(-5));
    }
}
