package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl enable-dimm} and {@code ndctl disable-dimm}: bind or unbind the DIMM driver. Every
 * named DIMM is tried; the count goes to stderr as ndctl prints it, and the first failure (with
 * its errno) fails the command after the others were tried.
 */
final class DimmEnableCommand implements Subcommand {

    private final DeviceCore core;
    private final boolean enable;

    DimmEnableCommand(DeviceCore core, boolean enable) {
        this.core = core;
        this.enable = enable;
    }

    @Override
    public String name() {
        return enable ? "enable-dimm" : "disable-dimm";
    }

    @Override
    public String description() {
        return (enable ? "enable" : "disable") + " DIMMs (bind or unbind the DIMM driver)";
    }

    @Override
    public String synopsis() {
        return "<nmem0> [<nmem1>..<nmemN>] [<options>]";
    }

    @Override
    public String[] options() {
        return new String[] {
            "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
            "  -v --verbose        name each DIMM as it is done",
        };
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().isEmpty()) {
            throw new UsageError("name at least one DIMM (nmemN, N, its id) or all");
        }
        String busFilter = opt.isSet("bus") ? opt.get("bus") : null;
        Set<Dimm> selected = new LinkedHashSet<>();
        for (String name : opt.args()) {
            List<Dimm> matches = new ArrayList<>();
            for (NvdimmBus bus : core.buses()) {
                if (Filters.bus(busFilter, bus)) {
                    bus.dimms().stream().filter(d -> Filters.dimm(name, d)).forEach(matches::add);
                }
            }
            if (matches.isEmpty() && !Filters.all(name)) {
                throw new UsageError(name + ": no such DIMM" + (busFilter == null ? "" : " on bus " + busFilter));
            }
            selected.addAll(matches);
        }
        int done = 0;
        NvdimmException first = null;
        for (Dimm dimm : selected) {
            try {
                if (enable) {
                    core.enable(dimm);
                } else {
                    core.disable(dimm);
                }
                done++;
                if (opt.isSet("verbose")) {
                    err.println((enable ? "enabled " : "disabled ") + dimm.name());
                }
            } catch (NvdimmException e) {
                err.println(name() + ": " + dimm.name() + ": " + e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        err.println((enable ? "enabled " : "disabled ") + done + " nmem" + (done == 1 ? "" : "s"));
        if (first != null) {
            throw first;
        }
        return null;
    }
}
