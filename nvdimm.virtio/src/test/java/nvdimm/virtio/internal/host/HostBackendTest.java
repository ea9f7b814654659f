package nvdimm.virtio.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.virtio.internal.host.OrderingClock.Probe;
import nvdimm.virtio.internal.host.OrderingClock.StampingForcer;
import org.junit.jupiter.api.Test;

/** Construction, ownership of the faults, and a misbehaving request. */
class HostBackendTest {
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);
    private final OrderingClock clock = new OrderingClock();

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        NvdimmException threads = assertThrows(NvdimmException.class,
                () -> new HostBackend("b0", () -> { }, 0, 128, new HostFaults(), lockdep));
        assertEquals(Errno.EINVAL, threads.errno());
        assertTrue(threads.getMessage().contains("host.threads"), threads::getMessage);
        NvdimmException queue = assertThrows(NvdimmException.class,
                () -> new HostBackend("b0", () -> { }, 1, 0, new HostFaults(), lockdep));
        assertEquals(Errno.EINVAL, queue.errno());
        assertTrue(queue.getMessage().contains("queue.size"), queue::getMessage);
    }

    @Test
    void aFaultsObjectBelongsToOneHost() {
        HostFaults faults = new HostFaults();
        try (HostBackend first = new HostBackend("b1", () -> { }, 1, 128, faults, lockdep)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new HostBackend("b2", () -> { }, 1, 128, faults, lockdep));
            assertTrue(e.getMessage().contains("b1") && e.getMessage().contains("b2"), e::getMessage);
            assertEquals(0, first.submitted());
        }
    }

    @Test
    void aRequestWhoseCallbackThrowsDoesNotCostTheOthersTheirAnswer() {
        StampingForcer forcer = clock.new StampingForcer(true);
        try (HostBackend host = new HostBackend("b3", forcer, 1, 128, new HostFaults(), lockdep)) {
            Probe first = clock.new Probe();
            host.submit(first);
            OrderingClock.awaitOrFail(forcer.firstStarted);
            HostRequest throwing = (status, failure) -> {
                throw new IllegalStateException("HostBackendTest: a guest request that throws (expected)");
            };
            Probe after = clock.new Probe();
            host.submit(throwing); // the same batch as after: answered first
            host.submit(after);
            forcer.release.countDown();
            after.await();
            assertEquals(0, after.status);
            assertEquals(3, host.acknowledged());
            assertEquals(List.of(), OrderingClock.orderingViolations(List.of(first, after)));
        }
        assertTrue(lockdep.reports().isEmpty(), () -> "lockdep: " + lockdep.reports());
    }

    @Test
    void closeIsIdempotentAndFailsLaterSubmissions() throws Exception {
        HostBackend host = new HostBackend("b4", () -> { }, 2, 8, new HostFaults(), lockdep);
        host.submit().get();
        host.close();
        host.close();
        Probe late = clock.new Probe();
        host.submit(late);
        assertEquals(HostBackend.FAILED, late.status);
        assertEquals(Errno.EIO, late.failure.errno());
        assertTrue(late.failure.getMessage().contains("b4 is closed"), late.failure::getMessage);
        assertEquals(2, host.submitted());
        assertEquals(1, host.acknowledged());
        assertEquals(1, host.failed());
    }
}
