package nvdimm.shell.internal.ndctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Region;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.UsageError;

/**
 * What the namespace commands look through, in ndctl's order (buses, then their regions, then the
 * regions' namespaces), limited by {@code -b/--bus} and {@code -r/--region}. A filter that names
 * nothing is refused before anything is done.
 */
final class NamespaceTargets {

    private final DeviceCore core;
    private final Regions regions;
    private final Supplier<Namespaces> namespaces;

    /** @param namespaces the namespace service, or a failure (ENODEV) saying it is not running */
    NamespaceTargets(DeviceCore core, Regions regions, Supplier<Namespaces> namespaces) {
        this.core = core;
        this.regions = regions;
        this.namespaces = namespaces;
    }

    Namespaces service() {
        return namespaces.get();
    }

    /** The enabled region of this name, if it is one. */
    Optional<Region> enabled(String region) {
        return regions.find(region);
    }

    /** The region devices the filters select, in bus then region order. */
    List<RegionDevice> regions(String busFilter, String regionFilter) {
        List<NvdimmBus> buses = core.buses();
        if (!Filters.all(busFilter) && buses.stream().noneMatch(b -> Filters.bus(busFilter, b))) {
            throw new UsageError(busFilter + ": no such bus");
        }
        List<RegionDevice> selected = new ArrayList<>();
        boolean named = Filters.all(regionFilter);
        for (NvdimmBus bus : buses) {
            for (RegionDevice region : bus.regions()) {
                if (Filters.region(regionFilter, region)) {
                    named = true;
                    if (Filters.bus(busFilter, bus)) {
                        selected.add(region);
                    }
                }
            }
        }
        if (!named) {
            throw new UsageError(regionFilter + ": no such region");
        }
        return selected;
    }

    /** The namespaces of the selected regions, seeds included, in region then service order. */
    List<NamespaceInfo> namespaces(String busFilter, String regionFilter) {
        List<NamespaceInfo> all = service().list();
        List<NamespaceInfo> selected = new ArrayList<>();
        for (RegionDevice region : regions(busFilter, regionFilter)) {
            all.stream().filter(n -> n.region().equals(region.name())).forEach(selected::add);
        }
        return selected;
    }

    /** The namespaces of one region, seeds included. */
    List<NamespaceInfo> namespacesOf(String region) {
        return service().list().stream().filter(n -> n.region().equals(region)).toList();
    }
}
