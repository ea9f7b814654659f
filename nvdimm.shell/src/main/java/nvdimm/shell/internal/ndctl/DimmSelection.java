package nvdimm.shell.internal.ndctl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.shell.internal.cli.UsageError;

/** The DIMMs a label command names: {@code nmemN}, N, an id, or {@code all}, optionally on one bus. */
final class DimmSelection {

    private final DeviceCore core;

    DimmSelection(DeviceCore core) {
        this.core = core;
    }

    /**
     * The DIMMs, in bus then DIMM order, each once.
     *
     * @throws UsageError for no name, an unknown bus, or a name no DIMM has
     */
    List<Dimm> select(List<String> names, String busFilter) {
        if (names.isEmpty()) {
            throw new UsageError("name at least one DIMM (nmemN, N, its id) or all");
        }
        if (!Filters.all(busFilter) && core.buses().stream().noneMatch(b -> Filters.bus(busFilter, b))) {
            throw new UsageError(busFilter + ": no such bus");
        }
        Set<Dimm> selected = new LinkedHashSet<>();
        for (String name : names) {
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
        return List.copyOf(selected);
    }

    /** ndctl's count noun: "nmem", "nmems" above one. */
    static String nmems(int n) {
        return n > 1 ? "nmems" : "nmem";
    }
}
