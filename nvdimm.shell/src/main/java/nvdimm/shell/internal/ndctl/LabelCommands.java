package nvdimm.shell.internal.ndctl;

import java.nio.file.Path;
import java.util.List;

import nvdimm.bus.DeviceCore;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelAreas;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.ExitFailure;
import nvdimm.shell.internal.cli.HelpSource;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * ndctl's label commands in the {@code ndctl} scope ({@code ndctl:init-labels nmem0}), in a component of
 * their own: they need the namespace bundle's {@link LabelAreas}, and the rest of the scope stays when that
 * bundle stops.
 */
@Component(service = {LabelCommands.class, HelpSource.class})
@GogoCommand(scope = "ndctl", function = {"init-labels", "zero-labels", "check-labels", "read-labels", "write-labels"})
public final class LabelCommands implements HelpSource {

    private final Dispatcher dispatcher;
    /** The session's directory while a command runs, for -i and -o. */
    private final ThreadLocal<Path> cwd = ThreadLocal.withInitial(() -> Path.of("").toAbsolutePath());

    @Activate
    public LabelCommands(@Reference DeviceCore core, @Reference LabelAreas labels) {
        DimmSelection selection = new DimmSelection(core);
        dispatcher = new Dispatcher("ndctl", List.of(
                new LabelActionCommand(selection, labels, LabelActionCommand.Action.INIT),
                new LabelActionCommand(selection, labels, LabelActionCommand.Action.ZERO),
                new LabelActionCommand(selection, labels, LabelActionCommand.Action.CHECK),
                new ReadLabelsCommand(selection, labels, cwd::get),
                new WriteLabelsCommand(selection, labels, cwd::get)));
    }

    /**
     * Gogo's entry point for every function of the component; {@code argv[0]} is the function's name. A
     * failure exits 1 in one-shot mode, as ndctl's label commands exit (EXIT_FAILURE, not {@code -errno}).
     */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        if (session != null) {
            cwd.set(session.currentDir());
        }
        try {
            return dispatcher.dispatch(argv);
        } catch (NvdimmException e) {
            throw new ExitFailure(e);
        } finally {
            cwd.remove();
        }
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
