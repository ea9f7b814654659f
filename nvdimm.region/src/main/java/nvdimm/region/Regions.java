package nvdimm.region;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Region management, registered as an OSGi service by the region driver: the operations behind
 * {@code ndctl enable-region}, {@code disable-region}, {@code start-scrub} and {@code wait-scrub}. Call
 * every method with no device lock held.
 *
 * <p>Disabled regions have no {@link Region}: list all regions, enabled or not, through
 * {@link nvdimm.bus.DeviceCore#devices()} ({@link nvdimm.bus.RegionDevice}s, with their
 * {@link nvdimm.bus.Device#state()} and {@link nvdimm.bus.Device#probeError()}).
 */
@ProviderType
public interface Regions {

    /** The enabled regions of every bus, in id order. */
    List<Region> list();

    /** The enabled region with this name. */
    Optional<Region> find(String name);

    /**
     * Enables a region: binds the region driver on the calling thread (validation, lanes, badblocks,
     * namespaces, publication) and returns the bound region; an enabled region is returned as it is.
     *
     * @throws nvdimm.bus.NvdimmException ENODEV for no region of that name; the probe's error unchanged
     *     (EINVAL with the problem for a malformed description or a bad lane setting); ENXIO for a
     *     region being removed, or one a disabled DIMM that keeps labels belongs to (as Linux's region
     *     probe refuses it: the labels are needed to place namespaces)
     */
    Region enable(String name);

    /**
     * Disables a region: first every device under it (its namespaces, and a BTT registered directly
     * under it), last registered first, each through the device core (which takes each one's own
     * children first); then the region itself, which stays disabled until {@link #enable}. Disabling a
     * disabled region does nothing.
     *
     * @throws nvdimm.bus.NvdimmException ENODEV for no region of that name; ENXIO for a region being removed
     */
    void disable(String name);

    /**
     * {@code ndctl start-scrub BUS}: starts scrubbing every region of the bus in turn, in the background,
     * and returns. Each region's scrub is started (waiting for one somebody else started to finish
     * first), polled until done, and its results are added to the badblocks of the enabled regions.
     *
     * @throws nvdimm.bus.NvdimmException ENODEV for no bus of that name; EBUSY when this bus is being
     *     scrubbed already
     */
    void startScrub(String bus);

    /**
     * {@code ndctl wait-scrub BUS}: waits for the background scrub of the bus if one runs, else until the
     * bus reports no scrub running; then adds the last results to the badblocks of the bus's enabled
     * regions.
     *
     * @throws nvdimm.bus.NvdimmException ENODEV for no bus of that name; ETIMEDOUT after
     *     {@code timeout}; EINTR when interrupted; a failure of the background scrub or of the provider
     *     with its errno unchanged
     */
    void waitScrub(String bus, Duration timeout);
}
