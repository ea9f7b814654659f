package nvdimm.virtio;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One virtio-pmem device, registered as a service with {@link VirtioConfig#DEVICE_PROPERTY} while its
 * configuration is active: its state and its fault injection (the {@code virtio:*} commands).
 */
@ProviderType
public interface VirtioPmem {

    /** The device's name (its configuration's name). */
    String name();

    VirtioStatus status();

    /**
     * Sets a fault.
     *
     * @param millis the duration for {@link VirtioFault#DELAY} and {@link VirtioFault#LATE}; ignored otherwise
     * @param count how many flushes (kicks) fail for {@link VirtioFault#FAIL_FLUSH} and
     *     {@link VirtioFault#KICK_FAIL}, at least 1; ignored otherwise
     * @throws nvdimm.bus.NvdimmException EINVAL for a negative duration or a count below 1, ENXIO once the
     *     device is gone
     */
    void inject(VirtioFault fault, long millis, int count);

    /**
     * Clears every fault. A silent host answers the flushes it held; a broken queue is reset (freeze, then
     * restore), so the device starts clean.
     */
    void clear();
}
