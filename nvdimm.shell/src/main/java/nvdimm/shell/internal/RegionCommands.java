package nvdimm.shell.internal;

import java.util.List;

import nvdimm.bus.DeviceCore;
import nvdimm.region.Region;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import nvdimm.shell.internal.ndctl.RegionLookup;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jline.builtins.Options;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nvdimm:flush REGION} and {@code nvdimm:deep-flush REGION [1]}: the region's flush (the
 * provider's own, or a drain of the medium's persistence domain), with the provider's errno
 * unchanged. {@code deep-flush} reads like sysfs {@code deep_flush}: 1 when the region needs an
 * explicit flush, else 0; given {@code 1} (or {@code true}) it flushes.
 */
@Component(service = {RegionCommands.class, HelpSource.class})
@GogoCommand(scope = "nvdimm", function = {"flush", "deep-flush"})
public final class RegionCommands implements HelpSource {

    private final Dispatcher dispatcher;

    @Activate
    public RegionCommands(@Reference DeviceCore core, @Reference Regions regions) {
        RegionLookup lookup = new RegionLookup(core, regions);
        dispatcher = new Dispatcher("nvdimm", List.of(new Flush(lookup), new DeepFlush(lookup)));
    }

    /** Gogo's entry point for every function of the component; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        return dispatcher.dispatch(argv);
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }

    private record Flush(RegionLookup lookup) implements Subcommand {
        @Override
        public Usage usage() {
            return new Usage("flush", "flush a region: make every completed write durable", "<region>");
        }

        @Override
        public Object run(Options opt, java.io.PrintStream err) {
            lookup.one(opt).flush();
            return null;
        }
    }

    private record DeepFlush(RegionLookup lookup) implements Subcommand {
        @Override
        public Usage usage() {
            return new Usage("deep-flush",
                    "read a region's deep_flush (1: needs an explicit flush), or write 1 to flush", "<region> [1|true]");
        }

        @Override
        public Object run(Options opt, java.io.PrintStream err) {
            if (opt.args().size() < 2) {
                return lookup.one(opt).deepFlushNeeded() ? "1" : "0";
            }
            if (opt.args().size() > 2) {
                throw new UsageError("too many arguments: " + opt.args());
            }
            Region region = lookup.enabled(opt.args().get(0));
            String value = opt.args().get(1);
            if (!value.equals("1") && !value.equalsIgnoreCase("true")) {
                throw new UsageError("deep_flush takes 1 or true (a flush), not '" + value + "'");
            }
            region.deepFlush();
            return null;
        }
    }
}
