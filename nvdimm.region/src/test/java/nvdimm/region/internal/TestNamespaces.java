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
 * asked to enumerate and reports {@link #allocations} per region name. With {@link #direct} it breaks
 * the contract and registers through the device core instead of {@link Region#register} (negative
 * controls: the region's guard is bypassed).
 */
final class TestNamespaces implements NamespaceProvider {
    private final DeviceCore core;
    volatile int perRegion;
    final Map<String, List<Extent>> allocations = new ConcurrentHashMap<>();
    /** "region0" once per enumeration, in order. */
    final List<String> enumerated = new CopyOnWriteArrayList<>();
    /** Runs first in every enumeration. */
    volatile Consumer<Region> hook = r -> { };
    volatile boolean direct;
    /** Per enumeration, in order: "region0: registered 2" or "region0: refused ENXIO". */
    final List<String> outcomes = new CopyOnWriteArrayList<>();

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
                if (direct) {
                    core.register(region.device(), DeviceType.NAMESPACE_IO);
                } else {
                    region.register(DeviceType.NAMESPACE_IO);
                }
            } catch (NvdimmException e) {
                outcomes.add(region.name() + ": refused " + e.errno());
                return; // the region is going away
            }
        }
        outcomes.add(region.name() + ": registered " + perRegion);
    }

    @Override
    public List<Extent> allocations(Region region) {
        return allocations.getOrDefault(region.name(), List.of());
    }
}
