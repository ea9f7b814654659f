package nvdimm.shell.internal.ndctl;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import nvdimm.bus.DeviceCore;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Regions;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code ndctl} scope: ndctl's subcommands under their own names ({@code ndctl:list -BD},
 * {@code ndctl:enable-dimm all}); {@code help} lists them.
 */
@Component(service = {NdctlCommands.class, HelpSource.class})
@GogoCommand(scope = "ndctl", function = {"list", "enable-dimm", "disable-dimm", "enable-region",
    "disable-region", "start-scrub", "wait-scrub", "inject-error", "clear-errors"})
public final class NdctlCommands implements HelpSource {

    private final Dispatcher dispatcher;
    /**
     * The namespace service, when its bundle runs: list shows namespaces and inject-error and
     * clear-errors take them; without it the rest works on buses, DIMMs and regions.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Namespaces namespaces;

    /** The bound BTT devices, for sector namespaces in listings. */
    private final SectorDevices sectors = new SectorDevices();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBttDevice(nvdimm.btt.BttDevice d) {
        sectors.add(d);
    }

    void unbindBttDevice(nvdimm.btt.BttDevice d) {
        sectors.remove(d);
    }

    /** How long wait-scrub (and inject-error, clear-errors --scrub) waits for a scrub before ETIMEDOUT. */
    static final Duration SCRUB_TIMEOUT = Duration.ofMinutes(10);

    @Activate
    public NdctlCommands(@Reference DeviceCore core, @Reference Regions regions) {
        Supplier<Namespaces> ns = () -> namespaces;
        RegionLookup lookup = new RegionLookup(core, regions);
        dispatcher = new Dispatcher("ndctl", List.of(new ListCommand(core, regions, ns, sectors::of),
                new EnableCommand(core, regions, true, DeviceKind.DIMM), new EnableCommand(core, regions, false, DeviceKind.DIMM),
                new EnableCommand(core, regions, true, DeviceKind.REGION), new EnableCommand(core, regions, false, DeviceKind.REGION),
                new ScrubCommand(core, regions, true, SCRUB_TIMEOUT), new ScrubCommand(core, regions, false, SCRUB_TIMEOUT),
                new InjectErrorCommand(lookup, ns, SCRUB_TIMEOUT), new ClearErrorsCommand(lookup, ns, SCRUB_TIMEOUT)));
    }

    /** For tests: the commands with this namespace service (null: none). */
    public NdctlCommands(DeviceCore core, Regions regions, Namespaces namespaces) {
        this(core, regions);
        this.namespaces = namespaces;
    }

    /** Gogo's entry point for every function of the scope; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        return dispatcher.dispatch(argv);
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
