package nvdimm.bus;

import java.util.List;

import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A bus: one bound {@link nvdimm.bus.spi.BusProvider}, named {@code ndbusN}.
 *
 * <p>The command methods are the ioctl path. Each pins the bus with an active count for the duration
 * of the provider call (no lock is held across it), so commands run concurrently and a bus removal
 * waits for them to drain. A command on a bus being removed fails with {@link Errno#ENXIO}; a
 * provider's error reaches the caller unchanged. Commands must not be issued with a device lock held
 * (the provider is promised it is never called under one).
 */
@ProviderType
public interface NvdimmBus extends Device {
    /** N of {@code ndbusN}. */
    int id();

    /** The provider's name, ndctl's {@code provider} ({@code "emul.0"}, {@code "virtio-pmem"}). */
    String provider();

    /** The DIMM devices registered on this bus, in the provider's order. */
    List<Dimm> dimms();

    /** The region devices registered on this bus, in the provider's order. */
    List<RegionDevice> regions();

    /** The provider's region descriptions, as read when the bus was bound. */
    List<RegionDescriptor> regionDescriptors();

    /**
     * Takes this bus's reconfiguration lock (Linux's {@code nvdimm_bus_lock}), blocking until it is
     * free: label updates and namespace creation and deletion hold it, and no probe of this bus starts
     * while it is held. It is taken before any device lock (never under one); taken again by its holder
     * it returns a nested hold whose close does nothing. Label writes ({@link Dimm#writeLabelArea}) take
     * it themselves.
     *
     * @throws NvdimmException EDEADLK with a device lock held
     */
    BusReconfiguration lockReconfiguration();

    /** How many commands are in flight on this bus now. */
    int commandsInFlight();

    /** ARS Start over {@code [address, address + length)}. */
    void startScrub(long address, long length);

    /** ARS Status. */
    ScrubStatus scrubStatus();

    /** Clear Uncorrectable Error; returns the bytes cleared. */
    long clearError(long address, long length);

    /** Injects poison into the range. */
    void injectError(long address, long length);

    /** Removes injected poison from the range. */
    void uninjectError(long address, long length);

    /** The injected poison, in SPA order. */
    List<ErrorRecord> injectedErrors();
}
