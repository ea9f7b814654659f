package nvdimm.bus;

import java.util.List;

import nvdimm.bus.spi.RegionDescriptor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A region device, {@code regionN}, made by the core from a provider's {@link RegionDescriptor}. It is
 * registered unbound; a region driver (the {@code nvdimm.region} bundle) binds it and creates its
 * namespaces.
 */
@ProviderType
public interface RegionDevice extends Device {
    /** N of {@code regionN}. */
    int id();

    /** What the provider said about the region: address, size, mappings, medium, flush handler. */
    RegionDescriptor descriptor();

    /** The DIMMs the region maps, in interleave position order. */
    List<Dimm> dimms();
}
