package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl start-scrub} and {@code ndctl wait-scrub}: address range scrub of every region of
 * the named buses (all buses when none is named). Both print the buses as JSON with their
 * {@code scrub_state}, as ndctl does.
 */
final class ScrubCommand implements Subcommand {

    /** How often wait-scrub looks at a running scrub. */
    static final long POLL_MS = 20;

    private final DeviceCore core;
    private final boolean start;

    ScrubCommand(DeviceCore core, boolean start) {
        this.core = core;
        this.start = start;
    }

    @Override
    public String name() {
        return start ? "start-scrub" : "wait-scrub";
    }

    @Override
    public String description() {
        return start ? "start an address range scrub of buses" : "wait for the buses' scrubs to finish";
    }

    @Override
    public String synopsis() {
        return "[<bus-id> <bus-id2> ... <bus-idN>] [<options>]";
    }

    @Override
    public String[] options() {
        return new String[] {"  -v --verbose        say what is scrubbed"};
    }

    @Override
    public Object run(Options opt, PrintStream err) throws InterruptedException {
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
                for (RegionDescriptor region : bus.regionDescriptors()) {
                    bus.startScrub(region.address(), region.size());
                    if (opt.isSet("verbose")) {
                        err.printf("%s: scrubbing %#x..%#x%n", bus.name(), region.address(),
                                region.address() + region.size() - 1);
                    }
                }
            } else {
                while (bus.scrubStatus().active()) {
                    if (Thread.interrupted()) {
                        throw new NvdimmException(Errno.EINTR, bus.name() + ": interrupted waiting for the scrub");
                    }
                    Thread.sleep(POLL_MS);
                }
            }
        }
        ArrayNode json = Json.array();
        buses.forEach(b -> json.add(BusJson.of(b)));
        return json.isEmpty() ? null : Json.print(json);
    }
}
