package nvdimm.region.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceType;
import nvdimm.bus.NvdimmException;
import nvdimm.region.Extent;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.Region;

/**
 * A namespace provider that registers {@link #perRegion} label-less namespaces under each region it is
 * asked to enumerate and reports {@link #allocations} per region name.
 */
final class TestNamespaces implements NamespaceProvider {
    private final DeviceCore core;
    volatile int perRegion;
    final Map<String, List<Extent>> allocations = new ConcurrentHashMap<>();
    /** "region0" once per enumeration, in order. */
    final List<String> enumerated = new CopyOnWriteArrayList<>();
    /** Runs first in every enumeration. */
    volatile Consumer<Region> hook = r -> { };

    TestNamespaces(DeviceCore core, int perRegion) {
        this.core = core;
        this.perRegion = perRegion;
    }

    @Override
    public void enumerate(Region region) {
        enumerated.add(region.name());
        hook.accept(region);
        for (int i = 0; i < perRegion; i++) {
            try {
                core.register(region.device(), DeviceType.NAMESPACE_IO);
            } catch (NvdimmException e) {
                return; // the region is going away
            }
        }
    }

    @Override
    public List<Extent> allocations(Region region) {
        return allocations.getOrDefault(region.name(), List.of());
    }
}
