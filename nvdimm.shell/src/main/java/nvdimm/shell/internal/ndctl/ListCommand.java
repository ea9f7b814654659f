package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.shell.internal.cli.Json;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;
import nvdimm.region.Region;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl list}: buses, DIMMs and regions as ndctl's JSON. One object class prints an array;
 * with {@code -B} the others nest in their buses ({@code "dimms"}, {@code "regions"}); DIMMs and
 * regions without buses print an object of both arrays; nothing to show prints nothing. Disabled
 * regions show only with {@code -i}.
 */
final class ListCommand implements Subcommand {

    private final DeviceCore core;
    private final Regions regions;

    ListCommand(DeviceCore core, Regions regions) {
        this.core = core;
        this.regions = regions;
    }

    @Override
    public Usage usage() {
        return new Usage("list", "list buses, DIMMs and regions as JSON", "[<options>]",
                "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
                "  -d --dimm=DIMM      limit to a DIMM: nmemN, N, its id, or all",
                "  -r --region=REGION  limit to a region: regionN, N, or all",
                "  -B --buses          include buses",
                "  -D --dimms          include DIMMs",
                "  -R --regions        include regions",
                "  -v --verbose        more detail: region mappings and badblocks",
                "  -H --health         include DIMM health",
                "  -i --idle           include idle devices",
                "  -u --human          sizes and identifiers in human-readable form");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (!opt.args().isEmpty()) {
            throw new UsageError("unexpected argument '" + opt.args().get(0) + "'");
        }
        String busFilter = opt.isSet("bus") ? opt.get("bus") : null;
        String dimmFilter = opt.isSet("dimm") ? opt.get("dimm") : null;
        String regionFilter = opt.isSet("region") ? opt.get("region") : null;
        boolean listBuses = opt.isSet("buses");
        boolean listDimms = opt.isSet("dimms") || opt.isSet("health");
        boolean listRegions = opt.isSet("regions");
        boolean health = opt.isSet("health");
        boolean human = opt.isSet("human");
        boolean verbose = opt.isSet("verbose");
        boolean idle = opt.isSet("idle");
        core.waitProbeIdle(); // list what probing settles on, as ndctl reads sysfs after probes finish

        ArrayNode buses = Json.array();
        ArrayNode allDimms = Json.array();
        ArrayNode allRegions = Json.array();
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
            ArrayNode busRegions = Json.array();
            for (RegionDevice region : bus.regions()) {
                Optional<Region> bound = regions.find(region.name());
                boolean shown = Filters.region(regionFilter, region) && (bound.isPresent() || idle)
                        && (Filters.all(dimmFilter) || region.dimms().stream().anyMatch(d -> Filters.dimm(dimmFilter, d)));
                if (shown) {
                    busRegions.add(RegionJson.of(region, bound, verbose, human));
                }
            }
            allDimms.addAll(dimms);
            allRegions.addAll(busRegions);
            ObjectNode b = BusJson.of(bus);
            if (listDimms && !dimms.isEmpty()) {
                b.set("dimms", dimms);
            }
            if (listRegions && !busRegions.isEmpty()) {
                b.set("regions", busRegions);
            }
            // a DIMM or region filter keeps only the buses where it matched something
            if ((Filters.all(dimmFilter) || !dimms.isEmpty()) && (Filters.all(regionFilter) || !busRegions.isEmpty())) {
                buses.add(b);
            }
        }
        JsonNode result;
        if (listBuses) {
            result = buses;
        } else if (listDimms && listRegions) {
            ObjectNode both = Json.object();
            if (!allDimms.isEmpty()) {
                both.set("dimms", allDimms);
            }
            if (!allRegions.isEmpty()) {
                both.set("regions", allRegions);
            }
            result = both;
        } else if (listDimms) {
            result = allDimms;
        } else if (listRegions) {
            result = allRegions;
        } else {
            result = Json.array();
        }
        return result.isEmpty() ? null : Json.print(result);
    }
}
