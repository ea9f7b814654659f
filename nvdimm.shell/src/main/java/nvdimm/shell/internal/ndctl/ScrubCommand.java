package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.NvdimmBus;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl start-scrub} and {@code ndctl wait-scrub}: address range scrub of every region of
 * the named buses (all buses when none is named); when it ends, what it found joins the regions'
 * badblocks. Both print the buses as JSON with their {@code scrub_state}, as ndctl does.
 */
final class ScrubCommand implements Subcommand {

    private final DeviceCore core;
    private final Regions regions;
    private final boolean start;
    private final Duration timeout;

    ScrubCommand(DeviceCore core, Regions regions, boolean start, Duration timeout) {
        this.core = core;
        this.regions = regions;
        this.start = start;
        this.timeout = timeout;
    }

    @Override
    public Usage usage() {
        return new Usage(start ? "start-scrub" : "wait-scrub",
                start ? "start an address range scrub of buses" : "wait for the buses' scrubs to finish",
                "[<bus-id> <bus-id2> ... <bus-idN>] [<options>]",
                "  -v --verbose        name each bus as it is done");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        List<NvdimmBus> buses = new ArrayList<>();
        for (NvdimmBus bus : core.buses()) {
            if (opt.args().isEmpty() || opt.args().stream().anyMatch(f -> Filters.bus(f, bus))) {
                buses.add(bus);
            }
        }
        for (String filter : opt.args()) {
            if (buses.stream().noneMatch(b -> Filters.bus(filter, b))) {
                throw new UsageError(filter + ": no such bus");
            }
        }
        for (NvdimmBus bus : buses) {
            if (start) {
                regions.startScrub(bus.name());
            } else {
                regions.waitScrub(bus.name(), timeout);
            }
            if (opt.isSet("verbose")) {
                err.println((start ? "started scrub of " : "scrub done on ") + bus.name());
            }
        }
        ArrayNode json = Json.array();
        buses.forEach(b -> json.add(BusJson.of(b)));
        return json.isEmpty() ? null : Json.print(json);
    }
}
