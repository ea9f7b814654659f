package nvdimm.bus;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver: registered as an OSGi service (or built into the core), it is offered every unbound device
 * and binds the ones it matches, as a Linux {@code nd_device_driver} does.
 *
 * <p>Probes run asynchronously on the core's probe threads, or synchronously on the caller's thread
 * for {@link DeviceCore#enable}, always with the device lock held, one at a time per device. A driver
 * creates its device's children with {@link DeviceCore#register} from {@link #probe} (or later, while
 * bound); the core removes them again, children first, before it calls {@link #remove}.
 *
 * <p>With the device lock held a driver must not wait for probes ({@link DeviceCore#waitProbeIdle()}),
 * unregister synchronously, issue commands, or call into the framework: the core refuses such calls
 * with {@link Errno#EDEADLK}, and publishes and unpublishes itself, after the locks are released.
 */
@ConsumerType
public interface Driver {
    /** The driver's name, as Linux shows it ({@code "nd_region"}, {@code "nd_pmem"}, {@code "nvdimm"}). */
    String name();

    /** Whether this driver handles the device; cheap, without side effects, called without the device lock. */
    boolean match(Device device);

    /**
     * Binds the device; called with its device lock held. Throwing fails the probe: the device stays
     * registered but disabled, the exception is kept as its {@link Device#probeError()}, and children
     * created by this probe are removed. An {@link NvdimmException} with {@link Errno#ENODEV} or
     * {@link Errno#ENXIO} means "not mine after all": the next matching driver is tried.
     */
    void probe(Device device);

    /** Unbinds the device; called with its device lock held, after its children were removed. */
    void remove(Device device);

    /**
     * Further services to publish while the device is bound, each under the interface it is keyed by,
     * with the device's service properties; called after a successful probe, without the device lock,
     * and never after {@link #remove}: whoever unbinds or removes the device waits for a publication in
     * flight to be withdrawn before remove() runs.
     */
    default Map<Class<?>, Object> services(Device device) {
        return Map.of();
    }
}
