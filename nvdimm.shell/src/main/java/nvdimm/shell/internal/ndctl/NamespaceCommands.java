package nvdimm.shell.internal.ndctl;

import java.util.List;

import nvdimm.bus.DeviceCore;
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

/**
 * ndctl's namespace commands in the {@code ndctl} scope: {@code create-namespace},
 * {@code destroy-namespace}, {@code enable-namespace}, {@code disable-namespace}. A component of its
 * own, beside {@link NdctlCommands}, that exists while the namespace service runs; the bus, DIMM and
 * region commands keep working without it.
 */
@Component(service = {NamespaceCommands.class, HelpSource.class})
@GogoCommand(scope = "ndctl", function = {"create-namespace", "destroy-namespace", "enable-namespace",
    "disable-namespace"})
public final class NamespaceCommands implements HelpSource {

    private final Dispatcher dispatcher;
    /** Whether the running command's standard output is the interactive shell's terminal. */
    private final ThreadLocal<Boolean> stdoutIsTerminal = ThreadLocal.withInitial(() -> false);

    @Activate
    public NamespaceCommands(@Reference DeviceCore core, @Reference Regions regions, @Reference Namespaces namespaces) {
        NamespaceTargets targets = new NamespaceTargets(core, regions, namespaces);
        dispatcher = new Dispatcher("ndctl", List.of(
                new CreateNamespaceCommand(targets, stdoutIsTerminal::get),
                new NamespaceActionCommand(targets, NamespaceActionCommand.Action.DESTROY),
                new NamespaceActionCommand(targets, NamespaceActionCommand.Action.ENABLE),
                new NamespaceActionCommand(targets, NamespaceActionCommand.Action.DISABLE)));
    }

    /** Gogo's entry point for every function of the component; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        stdoutIsTerminal.set(Terminals.interactive(session, 1));
        try {
            return dispatcher.dispatch(argv);
        } finally {
            stdoutIsTerminal.remove();
        }
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
