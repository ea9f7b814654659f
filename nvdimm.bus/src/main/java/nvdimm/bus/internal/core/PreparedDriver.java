package nvdimm.bus.internal.core;

import nvdimm.bus.Device;
import nvdimm.bus.Driver;

/**
 * A built-in driver whose probe needs commands first. The provider is promised it is never called with
 * a device lock held, so the core runs {@link #prepare} on the probe thread before taking the device
 * lock, and hands its result to {@link #probe(Device, Object)} under the lock.
 */
interface PreparedDriver extends Driver {
    /** The lock-free first half of the probe: issue commands, return what the probe checks. */
    Object prepare(Device device);

    /** The probe proper, with the device lock held. */
    void probe(Device device, Object prepared);

    @Override
    default void probe(Device device) {
        throw new IllegalStateException(name() + " probes in two steps: prepare, then probe(device, prepared)");
    }
}
