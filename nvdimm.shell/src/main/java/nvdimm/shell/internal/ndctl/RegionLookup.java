package nvdimm.shell.internal.ndctl;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.region.Region;
import nvdimm.region.Regions;

/** Finds the enabled region a command names (regionN or N), or says why there is none. */
public final class RegionLookup {

    private final DeviceCore core;
    private final Regions regions;

    public RegionLookup(DeviceCore core, Regions regions) {
        this.core = core;
        this.regions = regions;
    }

    public Region enabled(String name) {
        for (NvdimmBus bus : core.buses()) {
            for (RegionDevice device : bus.regions()) {
                if (Filters.region(name, device) && !Filters.all(name)) {
                    return regions.find(device.name()).orElseThrow(() ->
                            new NvdimmException(Errno.ENXIO, device.name() + ": the region is disabled"));
                }
            }
        }
        throw new NvdimmException(Errno.ENODEV, name + ": no such region");
    }
}
