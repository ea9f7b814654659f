package nvdimm.bus;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A device of the tree: a bus, a DIMM, a region, a namespace or a BTT, with its Linux name.
 *
 * <p>A device bound to a driver is published as an OSGi service under {@code Device} and its more
 * specific interface ({@link NvdimmBus}, {@link Dimm}, {@link RegionDevice}), with the service
 * properties {@value #SERVICE_DEV}, {@value #SERVICE_BUS} and {@value #SERVICE_TYPE}.
 *
 * <p>Every method may be called from any thread. What it returns is a snapshot: a device may change
 * state or go away right after.
 */
@ProviderType
public interface Device {
    /** Service property: the device name, e.g. {@code "nmem0"}. */
    String SERVICE_DEV = "nvdimm.dev";
    /** Service property: the name of the device's bus, e.g. {@code "ndbus0"}. */
    String SERVICE_BUS = "nvdimm.bus";
    /** Service property: the device's Linux devtype, e.g. {@code "nvdimm"} (see {@link DeviceType#devtype()}). */
    String SERVICE_TYPE = "nvdimm.type";

    /** The device name: {@code ndbus0}, {@code nmem1}, {@code region0}, {@code namespace0.0}, {@code btt0.1}. */
    String name();

    DeviceType type();

    /** The parent: the bus for a DIMM or a region, the region for a namespace; empty for a bus. */
    Optional<Device> parent();

    /** The bus the device sits on (a bus answers itself). */
    NvdimmBus bus();

    /** The registered children, in registration order. */
    List<Device> children();

    DeviceState state();

    /** Whether a driver is bound. */
    default boolean isEnabled() {
        return state() == DeviceState.ENABLED;
    }

    /** The name of the bound driver, if one is bound. */
    Optional<String> driverName();

    /**
     * Why the last probe failed, with the driver's errno; empty when the device is bound, was never
     * probed, or no driver matched it.
     */
    Optional<NvdimmException> probeError();

    /** The bound driver's private data for this device, if it set some of that type. */
    <T> Optional<T> driverData(Class<T> type);

    /**
     * Sets the driver's private data for this device ({@code dev_set_drvdata}). Only the driver, with
     * the device lock held (in {@link Driver#probe} or under {@link DeviceCore#lock}); it is cleared
     * when the driver is unbound. Readers without the lock see it once it is set.
     */
    void setDriverData(Object data);
}
