package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.shell.internal.cli.Json;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl list}: the buses and DIMMs as ndctl's JSON. One object class prints an array; buses
 * with DIMMs print buses with a nested {@code "dimms"} array; nothing to show prints nothing.
 */
final class ListCommand implements Subcommand {

    private final DeviceCore core;

    ListCommand(DeviceCore core) {
        this.core = core;
    }

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String description() {
        return "list buses and DIMMs as JSON";
    }

    @Override
    public String synopsis() {
        return "[<options>]";
    }

    @Override
    public String[] options() {
        return new String[] {
            "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
            "  -d --dimm=DIMM      limit to a DIMM: nmemN, N, its id, or all",
            "  -B --buses          include buses",
            "  -D --dimms          include DIMMs",
            "  -H --health         include DIMM health",
            "  -i --idle           include idle devices",
            "  -u --human          sizes and identifiers in human-readable form",
        };
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (!opt.args().isEmpty()) {
            throw new UsageError("unexpected argument '" + opt.args().get(0) + "'");
        }
        String busFilter = opt.isSet("bus") ? opt.get("bus") : null;
        String dimmFilter = opt.isSet("dimm") ? opt.get("dimm") : null;
        boolean listBuses = opt.isSet("buses");
        boolean listDimms = opt.isSet("dimms") || opt.isSet("health");
        boolean health = opt.isSet("health");
        boolean human = opt.isSet("human");
        core.waitProbeIdle(); // list what probing settles on, as ndctl reads sysfs after probes finish

        ArrayNode buses = Json.array();
        ArrayNode allDimms = Json.array();
        for (NvdimmBus bus : core.buses()) {
            if (!Filters.bus(busFilter, bus)) {
                continue;
            }
            ArrayNode dimms = Json.array();
            for (Dimm dimm : bus.dimms()) {
                if (Filters.dimm(dimmFilter, dimm)) {
                    dimms.add(DimmJson.of(dimm, health, human));
                }
            }
            allDimms.addAll(dimms);
            ObjectNode b = BusJson.of(bus);
            if (listDimms && !dimms.isEmpty()) {
                b.set("dimms", dimms);
            }
            if (!listBuses || Filters.all(dimmFilter) || !dimms.isEmpty()) {
                buses.add(b);
            }
        }
        JsonNode result = listBuses ? buses : listDimms ? allDimms : Json.array();
        return result.isEmpty() ? null : Json.print(result);
    }
}
