package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;
import nvdimm.region.Region;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl list}, as ndctl's list.c decides what to show: without {@code -B/-D/-R} a
 * {@code -b/-d/-r} filter selects its object class; {@code -v} adds media errors, {@code -vv} buses,
 * DIMMs and regions, {@code -vvv} idle devices and health. Disabled DIMMs and regions show only with
 * {@code -i}; region mappings come with DIMMs ({@code -RD}); {@code -M} lists each region's bad
 * blocks. One object class prints an array (with {@code -u}, a single object prints bare, as ndctl's
 * human mode does); with {@code -B} the others nest in their buses; DIMMs and regions without buses
 * print an object of both arrays; nothing to show (namespaces, the default class, do not exist yet)
 * prints nothing.
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
                "  -b --bus=BUS        filter by bus: ndbusN, N, its provider, or all",
                "  -d --dimm=DIMM      filter by DIMM: nmemN, N, its id, or all",
                "  -r --region=REGION  filter by region: regionN, N, or all",
                "  -B --buses          include buses",
                "  -D --dimms          include DIMMs (and region mappings)",
                "  -R --regions        include regions",
                "  -H --health         include DIMM health",
                "  -M --media-errors   include media errors (region badblocks)",
                "  -i --idle           include idle (disabled) devices",
                "  -u --human          human-friendly sizes and hex numbers",
                "  -v --verbose        more detail: -v media errors, -vv all classes, -vvv idle and health");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        return run(opt, List.of(), err);
    }

    @Override
    public Object run(Options opt, List<String> argv, PrintStream err) {
        if (!opt.args().isEmpty()) {
            throw new UsageError("unknown parameter \"" + opt.args().get(0) + "\"");
        }
        String busFilter = opt.isSet("bus") ? opt.get("bus") : null;
        String dimmFilter = opt.isSet("dimm") ? opt.get("dimm") : null;
        String regionFilter = opt.isSet("region") ? opt.get("region") : null;
        boolean listBuses = opt.isSet("buses");
        boolean listDimms = opt.isSet("dimms");
        boolean listRegions = opt.isSet("regions");
        boolean health = opt.isSet("health");
        boolean mediaErrors = opt.isSet("media-errors");
        boolean idle = opt.isSet("idle");
        boolean human = opt.isSet("human");
        if (!listBuses && !listDimms && !listRegions) {
            listBuses = busFilter != null;
            listDimms = dimmFilter != null;
            listRegions = regionFilter != null;
        }
        int verbose = verbosity(argv);
        if (verbose >= 3) {
            idle = true;
            health = true;
        }
        if (verbose >= 2) {
            listBuses = listDimms = listRegions = true;
        }
        if (verbose >= 1) {
            mediaErrors = true;
        }
        checkFilter(busFilter, dimmFilter, regionFilter);
        core.waitProbeIdle(); // list what probing settles on, as ndctl reads sysfs after probes finish

        RegionJson.Detail detail = new RegionJson.Detail(listDimms, dimmFilter, idle, mediaErrors, human);
        ArrayNode buses = Json.array();
        ArrayNode allDimms = Json.array();
        ArrayNode allRegions = Json.array();
        for (NvdimmBus bus : core.buses()) {
            if (!Filters.bus(busFilter, bus)
                    || (!Filters.all(dimmFilter) && bus.dimms().stream().noneMatch(d -> Filters.dimm(dimmFilter, d)))
                    || (!Filters.all(regionFilter) && bus.regions().stream().noneMatch(r -> Filters.region(regionFilter, r)))) {
                continue;
            }
            ArrayNode dimms = Json.array();
            if (listDimms) {
                for (Dimm dimm : bus.dimms()) {
                    boolean inRegion = Filters.all(regionFilter) || bus.regions().stream()
                            .anyMatch(r -> Filters.region(regionFilter, r)
                                    && r.dimms().stream().anyMatch(d -> d.name().equals(dimm.name())));
                    if (Filters.dimm(dimmFilter, dimm) && inRegion && (idle || dimm.isEnabled())) {
                        dimms.add(DimmJson.of(dimm, health, human));
                    }
                }
            }
            ArrayNode busRegions = Json.array();
            if (listRegions) {
                for (RegionDevice region : bus.regions()) {
                    Optional<Region> bound = regions.find(region.name());
                    boolean mapsDimm = Filters.all(dimmFilter)
                            || region.dimms().stream().anyMatch(d -> Filters.dimm(dimmFilter, d));
                    if (Filters.region(regionFilter, region) && mapsDimm && (bound.isPresent() || idle)) {
                        busRegions.add(RegionJson.of(region, bound, detail));
                    }
                }
            }
            ObjectNode b = BusJson.of(bus);
            if (!dimms.isEmpty()) {
                b.set("dimms", dimms);
            }
            if (!busRegions.isEmpty()) {
                b.set("regions", busRegions);
            }
            buses.add(b);
            allDimms.addAll(dimms);
            allRegions.addAll(busRegions);
        }
        JsonNode result;
        if (listBuses) {
            result = buses;
        } else if (!allDimms.isEmpty() && !allRegions.isEmpty()) {
            ObjectNode both = Json.object();
            both.set("dimms", allDimms);
            both.set("regions", allRegions);
            return Json.print(both);
        } else if (!allDimms.isEmpty()) {
            result = allDimms;
        } else {
            result = allRegions;
        }
        if (result.isEmpty()) {
            return null;
        }
        // ndctl's util_display_json_array: in human mode a one-element array prints its element
        return Json.print(human && result.size() == 1 ? result.get(0) : result);
    }

    /** Every filter must name something that exists: a typo is an error, not an empty listing. */
    private void checkFilter(String bus, String dimm, String region) {
        List<NvdimmBus> all = core.buses();
        if (!Filters.all(bus) && all.stream().noneMatch(b -> Filters.bus(bus, b))) {
            throw new UsageError(bus + ": no such bus");
        }
        if (!Filters.all(dimm) && all.stream().flatMap(b -> b.dimms().stream()).noneMatch(d -> Filters.dimm(dimm, d))) {
            throw new UsageError(dimm + ": no such DIMM");
        }
        if (!Filters.all(region) && all.stream().flatMap(b -> b.regions().stream())
                .noneMatch(r -> Filters.region(region, r))) {
            throw new UsageError(region + ": no such region");
        }
    }

    /** How many times {@code -v}/{@code --verbose} appears, as ndctl's OPT_INCR counts it. */
    static int verbosity(List<String> argv) {
        int count = 0;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--verbose")) {
                count++;
            } else if (arg.startsWith("-") && !arg.startsWith("--")) {
                for (int c = 1; c < arg.length(); c++) {
                    char ch = arg.charAt(c);
                    if (ch == 'v') {
                        count++;
                    } else if (ch == 'b' || ch == 'd' || ch == 'r') {
                        if (c == arg.length() - 1) {
                            i++; // the value is the next word
                        }
                        break;
                    }
                }
            }
        }
        return count;
    }
}
