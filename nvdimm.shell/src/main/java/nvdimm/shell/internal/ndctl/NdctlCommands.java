package nvdimm.shell.internal.ndctl;

import java.util.List;

import nvdimm.bus.DeviceCore;
import nvdimm.shell.internal.cli.Dispatcher;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code ndctl} scope: ndctl's subcommands under their own names ({@code ndctl:list -BD},
 * {@code ndctl:enable-dimm all}); {@code ndctl:help} lists them.
 */
@Component(service = NdctlCommands.class)
@GogoCommand(scope = "ndctl", function = {"help", "list", "enable-dimm", "disable-dimm", "enable-region",
    "disable-region", "start-scrub", "wait-scrub"})
public final class NdctlCommands {

    private final Dispatcher dispatcher;

    @Activate
    public NdctlCommands(@Reference DeviceCore core) {
        dispatcher = new Dispatcher("ndctl", List.of(new ListCommand(core),
                new EnableCommand(core, true, DeviceKind.DIMM), new EnableCommand(core, false, DeviceKind.DIMM),
                new EnableCommand(core, true, DeviceKind.REGION), new EnableCommand(core, false, DeviceKind.REGION),
                new ScrubCommand(core, true), new ScrubCommand(core, false)));
    }

    /** Gogo's entry point for every function of the scope; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        return dispatcher.dispatch(argv);
    }

    @Descriptor("list the ndctl commands")
    public String help() {
        return dispatcher.help();
    }
}
