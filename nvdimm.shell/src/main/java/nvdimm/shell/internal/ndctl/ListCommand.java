package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Region;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl list}, as ndctl's list.c decides what to show: without {@code -B/-D/-R/-N} a
 * {@code -b/-d/-r} filter selects its object class, and with none of them namespaces are listed;
 * {@code -v} adds namespaces and media errors, {@code -vv} buses, DIMMs and regions, {@code -vvv} idle
 * devices and health. Disabled DIMMs, regions and namespaces (seeds among them) show only with
 * {@code -i}; {@code -c} adds disabled namespaces that have capacity. Region mappings come with DIMMs
 * ({@code -RD}); {@code -M} lists bad blocks. One object class prints an array (with {@code -u}, a
 * single object prints bare, as ndctl's human mode does); with {@code -B} the others nest in their
 * buses, and namespaces nest in their regions when regions are listed, else in their buses. Without
 * buses, more than one class prints an object of arrays; as in ndctl, namespaces nested in regions
 * count as a class there only when the last region listed has some ({@code {"regions":[..]}}), and are
 * never repeated beside them. Nothing to show prints nothing. Namespaces come from the namespace
 * service when it runs; without it there are none.
 */
final class ListCommand implements Subcommand {

    private final DeviceCore core;
    private final Regions regions;
    private final Supplier<Namespaces> namespaces;
    private final java.util.function.Function<String, java.util.Optional<nvdimm.btt.BttDevice>> sectors;

    ListCommand(DeviceCore core, Regions regions, Supplier<Namespaces> namespaces) {
        this(core, regions, namespaces, ns -> java.util.Optional.empty());
    }

    /** With the bound BTT devices by namespace name, for sector namespaces' uuid, size and sector size. */
    ListCommand(DeviceCore core, Regions regions, Supplier<Namespaces> namespaces,
            java.util.function.Function<String, java.util.Optional<nvdimm.btt.BttDevice>> sectors) {
        this.core = core;
        this.regions = regions;
        this.namespaces = namespaces;
        this.sectors = sectors;
    }

    @Override
    public Usage usage() {
        return new Usage("list", "list buses, DIMMs, regions and namespaces as JSON", "[<options>]",
                "  -b --bus=BUS        filter by bus: ndbusN, N, its provider, or all",
                "  -d --dimm=DIMM      filter by DIMM: nmemN, N, its id, or all",
                "  -r --region=REGION  filter by region: regionN, N, or all",
                "  -n --namespace=NAMESPACE  filter by namespace: namespaceR.N, R.N, or all",
                "  -m --mode=MODE      filter by namespace mode: raw, sector, fsdax, devdax",
                "  -B --buses          include buses",
                "  -D --dimms          include DIMMs (and region mappings)",
                "  -R --regions        include regions",
                "  -N --namespaces     include namespaces (the default)",
                "  -H --health         include DIMM health",
                "  -M --media-errors   include media errors (region and namespace badblocks)",
                "  -i --idle           include idle (disabled) devices, seed namespaces too",
                "  -c --configured     include disabled namespaces that have capacity",
                "  -u --human          human-friendly sizes and hex numbers",
                "  -v --verbose        more detail: -v namespaces and media errors, -vv all classes, -vvv idle and health");
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
        String nsFilter = opt.isSet("namespace") ? opt.get("namespace") : null;
        Optional<NamespaceMode> modeFilter = Optional.empty();
        if (opt.isSet("mode")) {
            modeFilter = NamespaceMode.ofNdctlName(opt.get("mode"));
            if (modeFilter.isEmpty()) {
                throw new UsageError("invalid mode: '" + opt.get("mode") + "'");
            }
        }
        boolean listBuses = opt.isSet("buses");
        boolean listDimms = opt.isSet("dimms");
        boolean listRegions = opt.isSet("regions");
        boolean listNamespaces = opt.isSet("namespaces");
        boolean health = opt.isSet("health");
        boolean mediaErrors = opt.isSet("media-errors");
        boolean idle = opt.isSet("idle");
        boolean configured = opt.isSet("configured");
        boolean human = opt.isSet("human");
        if (!listBuses && !listDimms && !listRegions && !listNamespaces) {
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
            listNamespaces = true;
        }
        if (!listBuses && !listDimms && !listRegions) {
            listNamespaces = true;
        }
        checkFilter(busFilter, dimmFilter, regionFilter);
        core.waitProbeIdle(); // list what probing settles on, as ndctl reads sysfs after probes finish
        Namespaces service = namespaces.get();
        List<NamespaceInfo> allNamespaces = service == null ? List.of() : service.list();
        if (!Filters.all(nsFilter) && allNamespaces.stream().noneMatch(n -> Filters.namespace(nsFilter, n))) {
            throw new UsageError(nsFilter + ": no such namespace");
        }
        boolean showIdle = idle;
        Optional<NamespaceMode> mode = modeFilter;
        Predicate<NamespaceInfo> shownNamespace = n -> Filters.namespace(nsFilter, n)
                && mode.map(m -> m == n.mode()).orElse(true)
                && (n.enabled() || showIdle || (configured && n.size() > 0));

        RegionJson.Detail detail = new RegionJson.Detail(listDimms, dimmFilter, idle, mediaErrors, human);
        ArrayNode buses = Json.array();
        ArrayNode allDimms = Json.array();
        ArrayNode allRegions = Json.array();
        ArrayNode flatNamespaces = Json.array();
        ArrayNode lastRegionNamespaces = null;
        for (NvdimmBus bus : core.buses()) {
            if (!Filters.bus(busFilter, bus)
                    || (!Filters.all(dimmFilter) && bus.dimms().stream().noneMatch(d -> Filters.dimm(dimmFilter, d)))
                    || (!Filters.all(regionFilter) && bus.regions().stream().noneMatch(r -> Filters.region(regionFilter, r)))
                    || (!Filters.all(nsFilter) && bus.regions().stream().noneMatch(r -> holds(allNamespaces, r, nsFilter)))) {
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
            ArrayNode busNamespaces = Json.array();
            for (RegionDevice region : bus.regions()) {
                boolean mapsDimm = Filters.all(dimmFilter)
                        || region.dimms().stream().anyMatch(d -> Filters.dimm(dimmFilter, d));
                if (!Filters.region(regionFilter, region) || !mapsDimm
                        || (!Filters.all(nsFilter) && !holds(allNamespaces, region, nsFilter))) {
                    continue;
                }
                ArrayNode regionNamespaces = Json.array();
                if (listNamespaces) {
                    for (NamespaceInfo ns : allNamespaces) {
                        if (ns.region().equals(region.name()) && shownNamespace.test(ns)) {
                            regionNamespaces.add(NamespaceJson.of(ns, sectors.apply(ns.dev()), mediaErrors, human,
                                    verbose >= 1));
                        }
                    }
                }
                if (!listRegions) {
                    busNamespaces.addAll(regionNamespaces);
                    continue;
                }
                Optional<Region> bound = regions.find(region.name());
                if (bound.isEmpty() && !idle) {
                    continue;
                }
                ObjectNode r = RegionJson.of(region, bound, detail);
                if (!regionNamespaces.isEmpty()) {
                    r.set("namespaces", regionNamespaces);
                }
                busRegions.add(r);
                lastRegionNamespaces = regionNamespaces.isEmpty() ? null : regionNamespaces;
            }
            ObjectNode b = BusJson.of(bus);
            if (!dimms.isEmpty()) {
                b.set("dimms", dimms);
            }
            if (!busRegions.isEmpty()) {
                b.set("regions", busRegions);
            }
            if (!busNamespaces.isEmpty()) {
                b.set("namespaces", busNamespaces);
            }
            buses.add(b);
            allDimms.addAll(dimms);
            allRegions.addAll(busRegions);
            flatNamespaces.addAll(busNamespaces);
        }
        JsonNode result;
        boolean namespacesShown = listRegions ? lastRegionNamespaces != null : !flatNamespaces.isEmpty();
        int classes = (allDimms.isEmpty() ? 0 : 1) + (allRegions.isEmpty() ? 0 : 1) + (namespacesShown ? 1 : 0);
        if (listBuses) {
            result = buses;
        } else if (classes > 1) {
            ObjectNode platform = Json.object();
            if (!allDimms.isEmpty()) {
                platform.set("dimms", allDimms);
            }
            if (!allRegions.isEmpty()) {
                platform.set("regions", allRegions);
            } else {
                platform.set("namespaces", flatNamespaces);
            }
            return Json.print(platform);
        } else if (!allDimms.isEmpty()) {
            result = allDimms;
        } else if (!allRegions.isEmpty()) {
            result = allRegions;
        } else {
            result = flatNamespaces;
        }
        if (result.isEmpty()) {
            return null;
        }
        // ndctl's util_display_json_array: in human mode a one-element array prints its element
        return Json.print(human && result.size() == 1 ? result.get(0) : result);
    }

    /** Whether the region holds a namespace the filter names (ndctl's region and bus filter by namespace). */
    private static boolean holds(List<NamespaceInfo> all, RegionDevice region, String nsFilter) {
        return all.stream().anyMatch(n -> n.region().equals(region.name()) && Filters.namespace(nsFilter, n));
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
                    } else if ("bdrnm".indexOf(ch) >= 0) {
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
