package nvdimm.region;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What creates the namespaces of a region: the {@code nvdimm.namespace} bundle registers one as an OSGi
 * service, so this bundle does not depend on it. Without one, enabled regions simply have no namespaces.
 * The region driver uses the highest-ranked one.
 *
 * <h2>When the region driver calls it</h2>
 * {@link #enumerate} is called once per enabled region and provider:
 * <ul>
 * <li>when a region is enabled: after its {@linkplain Region#badblocks() badblocks} are populated and
 * before its {@link Region} service is published, on the thread that probes it (a probe thread of the
 * device core, or the caller of {@link Regions#enable});</li>
 * <li>when a provider arrives: for every region enabled already, on the thread that binds it.</li>
 * </ul>
 * No device lock is held, so the provider may read labels (commands) and register devices with
 * {@link Region#register}; it must not wait for probes to go idle (a probe thread would
 * wait for itself). An exception is logged; the region stays enabled with whatever was registered.
 *
 * <p>When the provider leaves, the devices under every region it enumerated are unregistered (last
 * registered first), and a replacement provider, if any, enumerates the regions again.
 */
@ConsumerType
public interface NamespaceProvider {

    /**
     * Finds the region's namespaces (from the DIMMs' labels, or one label-less namespace) and registers
     * them with {@link Region#register} (which refuses, with ENXIO, once this binding of the region is
     * gone; stop then).
     */
    void enumerate(Region region);

    /**
     * The parts of the region in use by namespaces, region-relative, in any order (they may overlap);
     * {@link Region#availableSize()} and {@link Region#maxAvailableExtent()} are what they leave free.
     * Called without any lock; the default is none in use.
     */
    default List<Extent> allocations(Region region) {
        return List.of();
    }
}
