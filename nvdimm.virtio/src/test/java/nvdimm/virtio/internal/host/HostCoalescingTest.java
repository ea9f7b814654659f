package nvdimm.virtio.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.virtio.internal.host.OrderingClock.Probe;
import nvdimm.virtio.internal.host.OrderingClock.StampingForcer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostCoalescingTest {
    private static final int DURING = 10;
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);
    private final OrderingClock clock = new OrderingClock();
    private final List<AutoCloseable> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() throws Exception {
        for (AutoCloseable h : hosts) {
            h.close();
        }
        assertTrue(lockdep.reports().isEmpty(), () -> "lockdep: " + lockdep.reports());
    }

    /**
     * One request starts a force that blocks; ten requests arrive during it. Returns every probe after all
     * are answered.
     */
    private List<Probe> burstDuringForce(StampingForcer forcer, Consumer<HostRequest> host) {
        List<Probe> probes = new ArrayList<>();
        Probe first = clock.new Probe();
        probes.add(first);
        host.accept(first);
        OrderingClock.awaitOrFail(forcer.firstStarted);
        for (int i = 0; i < DURING; i++) {
            Probe p = clock.new Probe();
            probes.add(p);
            host.accept(p);
        }
        forcer.release.countDown();
        probes.forEach(Probe::await);
        return probes;
    }

    @Test
    void requestsArrivingDuringAForceShareOneLaterForce() {
        StampingForcer forcer = clock.new StampingForcer(true);
        HostBackend host = new HostBackend("c0", forcer, 1, 128, new HostFaults(), lockdep);
        hosts.add(host);

        List<Probe> probes = burstDuringForce(forcer, host::submit);

        assertEquals(2, forcer.forces.get(), "one force for the first request, one for the ten that came during it");
        assertEquals(2, host.forces());
        for (Probe p : probes) {
            assertEquals(0, p.status);
            assertEquals(1, p.answers.get());
        }
        assertEquals(List.of(), OrderingClock.orderingViolations(probes));
        assertEquals(DURING + 1, host.acknowledged());
    }

    @Test
    void withTwoWorkersEveryAckStillFollowsItsSubmission() {
        StampingForcer forcer = clock.new StampingForcer(true);
        HostBackend host = new HostBackend("c1", forcer, 2, 128, new HostFaults(), lockdep);
        hosts.add(host);

        List<Probe> probes = burstDuringForce(forcer, host::submit);

        assertEquals(List.of(), OrderingClock.orderingViolations(probes));
        assertTrue(forcer.forces.get() <= 1 + DURING);
        probes.forEach(p -> assertEquals(1, p.answers.get()));
    }

    /** Negative control: a host that lets late arrivals join the running force is caught by the same check. */
    @Test
    void theOrderingCheckCatchesAHostThatJoinsTheRunningForce() {
        StampingForcer forcer = clock.new StampingForcer(true);
        PiggybackHost wrong = new PiggybackHost(forcer);

        List<Probe> probes = burstDuringForce(forcer, wrong::submit);

        assertEquals(1, forcer.forces.get(), "the wrong host acknowledged all eleven with the first force");
        List<String> violations = OrderingClock.orderingViolations(probes);
        assertEquals(DURING, violations.size(), violations::toString);
        assertFalse(probes.getFirst().ackForceStart <= probes.getFirst().submittedAt);
    }
}
