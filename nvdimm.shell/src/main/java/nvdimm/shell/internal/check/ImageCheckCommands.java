package nvdimm.shell.internal.check;

import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nvdimm.btt.check.BttChecker;
import nvdimm.emul.ImageAttacher;
import nvdimm.shell.internal.Terminals;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;

/**
 * {@code nvdimm:check-image}. It exists while the emulated provider (which opens images) and the BTT bundle
 * (which checks them) run.
 */
@Component(service = {ImageCheckCommands.class, HelpSource.class})
@GogoCommand(scope = "nvdimm", function = {"check-image"})
public final class ImageCheckCommands implements HelpSource {
    private final Dispatcher dispatcher;
    private final ThreadLocal<CommandSession> session = new ThreadLocal<>();

    @Activate
    public ImageCheckCommands(@Reference ImageAttacher attacher, @Reference BttChecker checker) {
        dispatcher = new Dispatcher("nvdimm", List.of(new CheckImageCommand(() -> attacher, () -> checker, this::cwd,
                tail -> Terminals.progressBar(session.get(), tail))));
    }

    /** Gogo's entry point for every function of the component; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        this.session.set(session);
        try {
            return dispatcher.dispatch(argv);
        } finally {
            this.session.remove();
        }
    }

    private Path cwd() {
        CommandSession s = session.get();
        return s == null ? Path.of("").toAbsolutePath() : s.currentDir();
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
