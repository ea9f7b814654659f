package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl enable-dimm|disable-dimm|enable-region|disable-region}: bind or unbind a driver.
 * Every named device is tried and the count goes to stderr as ndctl prints it ({@code enabled 1 nmem},
 * {@code disabled 2 regions}). As in ndctl, the command succeeds when it did at least one device and
 * fails (with the first failure's errno) when it did none but something failed. A DIMM that an enabled
 * region maps is active and is skipped by {@code disable-dimm} ({@code nmem0 is active, skipping...}).
 */
final class EnableCommand implements Subcommand {

    private final DeviceCore core;
    private final Regions regions;
    private final boolean enable;
    private final DeviceKind kind;

    EnableCommand(DeviceCore core, Regions regions, boolean enable, DeviceKind kind) {
        this.core = core;
        this.regions = regions;
        this.enable = enable;
        this.kind = kind;
    }

    @Override
    public Usage usage() {
        String noun = kind.noun();
        return new Usage((enable ? "enable-" : "disable-") + kind.word(),
                (enable ? "enable " : "disable ") + kind.display() + "s (" + (enable ? "bind" : "unbind") + " the "
                        + kind.word() + " driver)",
                "<" + noun + "0> [<" + noun + "1>..<" + noun + "N>] [<options>]",
                "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
                "  -v --verbose        name each device as it is done");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().isEmpty()) {
            throw new UsageError("name at least one " + kind.display() + " (" + kind.forms() + ") or all");
        }
        String busFilter = opt.isSet("bus") ? opt.get("bus") : null;
        if (!Filters.all(busFilter) && core.buses().stream().noneMatch(b -> Filters.bus(busFilter, b))) {
            throw new UsageError(busFilter + ": no such bus");
        }
        Set<Device> selected = new LinkedHashSet<>();
        for (String name : opt.args()) {
            List<Device> matches = new ArrayList<>();
            for (NvdimmBus bus : core.buses()) {
                if (Filters.bus(busFilter, bus)) {
                    kind.devices(bus).stream().filter(d -> kind.matches(name, d)).forEach(matches::add);
                }
            }
            if (matches.isEmpty() && !Filters.all(name)) {
                throw new UsageError(name + ": no such " + kind.display() + (busFilter == null ? "" : " on bus " + busFilter));
            }
            selected.addAll(matches);
        }
        int done = 0;
        NvdimmException first = null;
        for (Device device : selected) {
            try {
                act(device, err);
                done++;
                if (opt.isSet("verbose")) {
                    err.println((enable ? "enabled " : "disabled ") + device.name());
                }
            } catch (NvdimmException e) {
                if (e.errno() != Errno.EBUSY || !(device instanceof Dimm)) {
                    err.println(name() + ": " + e.getMessage());
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        err.println((enable ? "enabled " : "disabled ") + done + " " + kind.count(done));
        if (done == 0 && first != null) {
            throw first;
        }
        return null;
    }

    private void act(Device device, PrintStream err) {
        if (device instanceof RegionDevice) {
            if (enable) {
                regions.enable(device.name());
            } else {
                regions.disable(device.name());
            }
        } else if (enable) {
            core.enable(device);
        } else {
            refuseActive((Dimm) device, err);
            core.disable(device);
        }
    }

    /** ndctl's {@code ndctl_dimm_is_active}: an enabled region maps the DIMM. */
    private void refuseActive(Dimm dimm, PrintStream err) {
        for (RegionDevice region : dimm.bus().regions()) {
            if (region.isEnabled() && region.dimms().stream().anyMatch(d -> d.name().equals(dimm.name()))) {
                err.println(dimm.name() + " is active, skipping...");
                throw new NvdimmException(Errno.EBUSY, dimm.name() + ": is active in " + region.name()
                        + "; disable the region first");
            }
        }
    }
}
