package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl enable-dimm|disable-dimm|enable-region|disable-region}: bind or unbind a driver.
 * Every named device is tried; the count goes to stderr as ndctl prints it ({@code enabled 1 nmem},
 * {@code disabled 2 regions}), and the first failure, with its errno, fails the command after the
 * others were tried.
 */
final class EnableCommand implements Subcommand {

    private final DeviceCore core;
    private final boolean enable;
    private final DeviceKind kind;

    EnableCommand(DeviceCore core, boolean enable, DeviceKind kind) {
        this.core = core;
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
                if (enable) {
                    core.enable(device);
                } else {
                    core.disable(device);
                }
                done++;
                if (opt.isSet("verbose")) {
                    err.println((enable ? "enabled " : "disabled ") + device.name());
                }
            } catch (NvdimmException e) {
                err.println(name() + ": " + device.name() + ": " + e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        err.println((enable ? "enabled " : "disabled ") + done + " " + kind.noun() + (done == 1 ? "" : "s"));
        if (first != null) {
            throw first;
        }
        return null;
    }
}
