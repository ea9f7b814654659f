package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;

import org.junit.jupiter.api.Test;

/**
 * A label update is several label writes under one hold of the bus's reconfiguration lock (Linux's
 * in-kernel label update under {@code nvdimm_bus_lock}): a write by the holder keeps the lock, so no probe
 * and no other label update comes between its writes. (Before, every write let go of the lock while it
 * waited for the bus's probes, and whatever was waiting for the lock ran in the middle of the update.)
 */
class LabelUpdateHoldTest extends CoreTestBase {

    @Test
    void theHoldersLabelWritesKeepTheLock() {
        NvdimmBus bus = bring(FakeProvider.of("emul.0", 1));
        idle();
        Dimm nmem0 = core.find("nmem0", Dimm.class).orElseThrow();
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        try (BusReconfiguration held = bus.lockReconfiguration()) {
            held.waitProbeIdle(); // the update's start: the bus's probes are idle
            core.addDriver(regions); // region0's probe is queued now, and stops at the gate
            nmem0.writeLabelArea(0, new byte[8], 0, 8); // the update's writes
            nmem0.writeLabelArea(8, new byte[8], 0, 8);
            assertEquals(0, regions.probes("region0"), "a probe ran in the middle of the label update");
            assertTrue(((BusImpl) bus).reconfig.mutex.isHeldByCurrentThread());
        }
        idle();
        assertEquals(1, regions.probes("region0"));
        assertClean();
    }
}
