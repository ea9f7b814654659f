package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.Dimm;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Probe idle per bus and the bus reconfiguration lock (issue 8, item 5): Linux's {@code probe_active},
 * {@code nvdimm_bus_lock} and {@code wait_nvdimm_bus_probe_idle}, with label writes as their user.
 */
class BusProbeIdleTest extends CoreTestBase {
    private final CountDownLatch inProbe = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseProbes() {
        release.countDown();
    }

    /** Region probes of the bus named {@code busName} stop until {@link #release}. */
    private void slowRegionProbesOn(String busName) {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> {
            if (region.bus().name().equals(busName)) {
                inProbe.countDown();
                CommandPathTest.await(release);
            }
        };
        core.addDriver(regions);
    }

    private Dimm dimm(String name) {
        return core.find(name, Dimm.class).orElseThrow();
    }

    @Test
    void aLabelWriteWaitsOnlyForItsOwnBussProbes() throws Exception {
        bring(FakeProvider.of("emul.0", 1));
        idle();
        slowRegionProbesOn("ndbus1");
        bring(FakeProvider.of("emul.1", 1)); // region1's probe stays in the driver
        CommandPathTest.await(inProbe);
        Thread writer = new Thread(() -> dimm("nmem0").writeLabelArea(0, new byte[8], 0, 8), "writer");
        writer.start();
        EventOutboxTest.awaitEndedOrParkedIn(writer, "awaitZero");
        assertFalse(writer.isAlive(), "a label write on ndbus0 waited for a probe on ndbus1");
        release.countDown();
        idle();
        assertClean();
    }

    @Test
    void aLabelWriteWaitingForItsBussProbesNeitherPinsTheBusNorHoldsItsReconfigurationLock() throws Exception {
        slowRegionProbesOn("ndbus0");
        NvdimmBus bus = bring(FakeProvider.of("emul.0", 1));
        CommandPathTest.await(inProbe);
        List<String> done = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                dimm("nmem0").writeLabelArea(0, new byte[] {1, 2, 3}, 0, 3);
                done.add("written");
            } catch (RuntimeException e) {
                done.add(e.toString());
            }
        }, "writer");
        writer.start();
        EventOutboxTest.awaitEndedOrParkedIn(writer, "awaitZero");
        assertTrue(writer.isAlive(), () -> "the label write went on while region0 was probing: " + done);
        assertEquals(0, bus.commandsInFlight(), "the waiting label write pins its bus");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (BusReconfiguration held = bus.lockReconfiguration()) { // released while the writer waits
                assertTrue(((BusImpl) bus).reconfig.mutex.isHeldByCurrentThread());
            }
        });
        release.countDown();
        writer.join(30_000);
        assertEquals(List.of("written"), done);
        byte[] read = new byte[3];
        dimm("nmem0").readLabelArea(0, read, 0, 3);
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(read[0], read[1], read[2]));
        assertClean();
    }

    @Test
    void noProbeOfABusStartsWhileItsReconfigurationLockIsHeldAndItsHolderSeesThemIdle() throws Exception {
        NvdimmBus bus = bring(FakeProvider.of("emul.0", 1));
        idle();
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        Thread[] prober = new Thread[1];
        regions.onProbe = region -> prober[0] = Thread.currentThread();
        try (BusReconfiguration held = bus.lockReconfiguration()) {
            core.addDriver(regions); // region0's probe is queued, and stops at the gate
            assertEquals(0, regions.probes("region0"));
            held.waitProbeIdle(); // lets it through while waiting; holds the lock again once it is done
            assertEquals(1, regions.probes("region0"));
            assertTrue(((BusImpl) bus).reconfig.mutex.isHeldByCurrentThread());
            assertEquals(0, ((BusImpl) bus).probes.active());
        }
        assertTrue(prober[0].getName().startsWith("nvdimm-probe-"));
        assertFalse(((BusImpl) bus).reconfig.mutex.isHeldByCurrentThread());
        assertClean();
    }

    @Test
    void holdingTheReconfigurationLockEveryBussWaitIsRefusedAndALabelWriteNestsInIt() {
        NvdimmBus bus = bring(FakeProvider.of("emul.0", 1));
        idle();
        try (BusReconfiguration held = bus.lockReconfiguration()) {
            assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, core::waitProbeIdle).errno());
            dimm("nmem0").writeLabelArea(0, new byte[8], 0, 8); // takes the lock it already holds: nested
            assertTrue(((BusImpl) bus).reconfig.mutex.isHeldByCurrentThread(), "the nested hold let go of it");
            try (BusReconfiguration nested = bus.lockReconfiguration()) {
                nested.waitProbeIdle();
            }
            assertTrue(((BusImpl) bus).reconfig.mutex.isHeldByCurrentThread());
        }
        try (var held = core.lock(dev("nmem0"))) {
            assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, bus::lockReconfiguration).errno());
        }
        lockdep.reset(); // the refusals above filed their reports
        assertClean();
    }

    @Test
    void aWaitForItsOwnBussProbesFromInsideAProbeIsRefused() {
        List<Errno> refused = new CopyOnWriteArrayList<>();
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.services = region -> { // on the probe thread, still counted as region0's probe
            try (BusReconfiguration held = region.bus().lockReconfiguration()) {
                held.waitProbeIdle();
            } catch (NvdimmException e) {
                refused.add(e.errno());
            }
            return java.util.Map.of();
        };
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        assertTimeoutPreemptively(Duration.ofSeconds(20), this::idle);
        assertEquals(List.of(Errno.EBUSY), refused);
        assertClean();
    }
}
