package nvdimm.shell.internal.ndctl;

import java.util.List;

import nvdimm.btt.check.BttChecker;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespaces;
import nvdimm.region.Regions;
import nvdimm.shell.internal.Terminals;
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
 * ndctl's namespace commands in the {@code ndctl} scope: {@code create-namespace},
 * {@code destroy-namespace}, {@code enable-namespace}, {@code disable-namespace}. A component of its
 * own, beside {@link NdctlCommands}, whose namespace service is an optional dynamic reference: the
 * commands are always there (the launcher's start waits for every command to register, and a
 * command that is missing says less than one that fails), and without the service they fail with
 * ENODEV saying so; the bus, DIMM and region commands never depend on it.
 */
@Component(service = {NamespaceCommands.class, HelpSource.class})
@GogoCommand(scope = "ndctl", function = {"create-namespace", "destroy-namespace", "enable-namespace",
    "disable-namespace", "read-infoblock", "check-namespace"})
public final class NamespaceCommands implements HelpSource {

    private final Dispatcher dispatcher;
    /** Whether the running command's standard output is the interactive shell's terminal. */
    private final ThreadLocal<Boolean> stdoutIsTerminal = ThreadLocal.withInitial(() -> false);

    /** The namespace service, while its bundle provides it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Namespaces namespaces;

    /** The BTT checker, while the BTT bundle provides it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BttChecker checker;
    /** The running command's session, for its progress bar. */
    private final ThreadLocal<CommandSession> session = new ThreadLocal<>();

    /** The bound BTT devices: a sector namespace's JSON shows its BTT. */
    private final SectorDevices sectors = new SectorDevices();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBttDevice(nvdimm.btt.BttDevice d) {
        sectors.add(d);
    }

    void unbindBttDevice(nvdimm.btt.BttDevice d) {
        sectors.remove(d);
    }

    @Activate
    public NamespaceCommands(@Reference DeviceCore core, @Reference Regions regions) {
        NamespaceTargets targets = new NamespaceTargets(core, regions, this::service);
        dispatcher = new Dispatcher("ndctl", List.of(
                new CreateNamespaceCommand(targets, stdoutIsTerminal::get, sectors::of),
                new NamespaceActionCommand(targets, NamespaceActionCommand.Action.DESTROY),
                new NamespaceActionCommand(targets, NamespaceActionCommand.Action.ENABLE),
                new NamespaceActionCommand(targets, NamespaceActionCommand.Action.DISABLE),
                new ReadInfoblockCommand(targets),
                new CheckNamespaceCommand(targets, this::checker, tail -> Terminals.progressBar(session.get(), tail))));
    }

    /** For tests: the commands over this namespace service (null: none). */
    public NamespaceCommands(DeviceCore core, Regions regions, Namespaces namespaces) {
        this(core, regions);
        this.namespaces = namespaces;
    }

    private Namespaces service() {
        Namespaces service = namespaces;
        if (service == null) {
            throw new NvdimmException(Errno.ENODEV, "the namespace service is not running (the nvdimm.namespace bundle "
                    + "provides it)");
        }
        return service;
    }

    private BttChecker checker() {
        BttChecker c = checker;
        if (c == null) {
            throw new NvdimmException(Errno.ENODEV, "the BTT checker is not running (the nvdimm.btt bundle provides it)");
        }
        return c;
    }

    /** Gogo's entry point for every function of the component; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        stdoutIsTerminal.set(Terminals.interactive(session, 1));
        this.session.set(session);
        try {
            return dispatcher.dispatch(argv);
        } finally {
            stdoutIsTerminal.remove();
            this.session.remove();
        }
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
