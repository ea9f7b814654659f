package nvdimm.bus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device core: the device tree, its drivers and its buses. Registered as an OSGi service by the
 * {@code nvdimm.bus} bundle.
 *
 * <h2>Locks and waits</h2>
 * Each device has a device lock at its type's {@linkplain DeviceType#lockLevel() level}, validated by
 * the lock-order validator. Drivers run {@link Driver#probe} and {@link Driver#remove} with it held;
 * others may take it with {@link #lock}. The methods that wait or call into the framework
 * ({@link #waitProbeIdle()}, {@link #unregister}, {@link #enable}, {@link #disable}, commands) must be
 * called with no device lock held: they refuse with {@link Errno#EDEADLK} before blocking otherwise, in
 * every validator mode (what they wait for may need that lock, as in seed 001's ABBA), and the validator
 * reports it.
 */
@ProviderType
public interface DeviceCore {
    /** A held device lock; {@link #close()} releases it. */
    interface Locked extends AutoCloseable {
        Device device();

        @Override
        void close();
    }

    /** The registered device with this name. */
    Optional<Device> find(String name);

    /** The registered device with this name, if it is of the given interface. */
    <T extends Device> Optional<T> find(String name, Class<T> type);

    /** Every registered device, parents before children. */
    List<Device> devices();

    /** The buses, in id order. Takes the bus list lock only for the copy. */
    List<NvdimmBus> buses();

    /**
     * Registers a child device with the lowest free name for its type under {@code parent}'s region
     * ({@code namespaceR.N}, {@code bttR.N}); its probe is scheduled at once.
     *
     * @throws NvdimmException EINVAL for a type the core owns or a parent that cannot have it; ENXIO
     *     when the parent is going away or not bound
     */
    Device register(Device parent, DeviceType type);

    /**
     * Registers a child device under a chosen name.
     *
     * @throws NvdimmException as {@link #register(Device, DeviceType)}; EINVAL for a name that is not
     *     {@code <prefix><region>.<n>}; EEXIST for a name in use
     */
    Device register(Device parent, DeviceType type, String name);

    /**
     * Unregisters a device synchronously (Linux's ND_SYNC): its services go first (a publication in
     * flight on another thread is waited for), then its children, then its driver is unbound, then the
     * device; the REMOVE event is posted before this returns. When several callers race, the teardown runs once;
     * the others wait for it to finish, except a call from inside that teardown, which returns at once.
     * Call with no device lock held.
     *
     * @throws NvdimmException EOPNOTSUPP for a bus, DIMM or region (they go with their provider)
     */
    void unregister(Device device);

    /**
     * Unregisters a device asynchronously (Linux's ND_ASYNC), e.g. from code holding its device lock:
     * the first caller schedules the teardown, the others return at once. The stage completes when the
     * device is gone; do not wait for it with a device lock held.
     *
     * @throws NvdimmException EOPNOTSUPP as for {@link #unregister}
     */
    CompletionStage<Void> unregisterAsync(Device device);

    /**
     * Binds a driver now (a synchronous probe on this thread), and publishes the device; for a device bound
     * already, nothing but a wait for its publication when another thread (an asynchronous probe) has it in
     * flight, so the device's services are registered when this returns either way. Clears an earlier
     * {@link #disable}.
     *
     * @throws NvdimmException the probe's error; ENODEV when no driver matches; ENXIO for a dead device
     */
    void enable(Device device);

    /**
     * Unbinds the driver (services first, waiting for a publication in flight; then the children) and
     * keeps the device unbound until {@link #enable}.
     *
     * @throws NvdimmException EOPNOTSUPP for a bus; ENXIO for a dead device
     */
    void disable(Device device);

    /** Posts a CHANGE event for the device. */
    void notifyChange(Device device);

    /**
     * Waits until no probe of any bus is queued or running, published services included. Never with a
     * device lock or a bus's reconfiguration lock held (the validator models this wait as the wait point
     * {@code nd_bus.probe_idle}); for one bus, use {@link BusReconfiguration#waitProbeIdle()}.
     *
     * @throws NvdimmException EBUSY when called from inside a probe (it would wait for itself); EDEADLK
     *     with a device lock or a reconfiguration lock held; EINTR when interrupted
     */
    void waitProbeIdle();

    /** {@link #waitProbeIdle()} for at most {@code timeout}; false if probes were still running. */
    boolean waitProbeIdle(Duration timeout);

    /** Takes the device lock; close the result to release it. Do not take a lock you already hold. */
    Locked lock(Device device);
}
