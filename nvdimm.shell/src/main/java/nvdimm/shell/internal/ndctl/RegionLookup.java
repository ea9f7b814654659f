package nvdimm.shell.internal.ndctl;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.region.Region;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/** Finds the enabled region a command names (regionN or N), or says why there is none. */
public final class RegionLookup {

    private final DeviceCore core;
    private final Regions regions;

    public RegionLookup(DeviceCore core, Regions regions) {
        this.core = core;
        this.regions = regions;
    }

    /** The enabled region named by the command's one argument. */
    public Region one(Options opt) {
        if (opt.args().size() != 1) {
            throw new UsageError(opt.args().isEmpty() ? "name the region" : "give one region, not " + opt.args());
        }
        return enabled(opt.args().get(0));
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
