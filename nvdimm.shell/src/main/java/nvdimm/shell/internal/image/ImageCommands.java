package nvdimm.shell.internal.image;

import java.nio.file.Path;
import java.util.List;

import nvdimm.emul.ImageAttacher;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nvdimm:attach-image} and {@code nvdimm:detach-image}. They exist while the
 * {@code nvdimm.emul} provider runs: this component needs its image service, and the shell imports
 * the {@code nvdimm.emul} package optionally, so the rest of the shell works without it.
 */
@Component(service = {ImageCommands.class, HelpSource.class})
@GogoCommand(scope = "nvdimm", function = {"attach-image", "detach-image"})
public final class ImageCommands implements HelpSource {

    private final Dispatcher dispatcher;
    /** Relative file names resolve against the session's directory. */
    private final ThreadLocal<Path> cwd = ThreadLocal.withInitial(() -> Path.of("").toAbsolutePath());

    @Activate
    public ImageCommands(@Reference ImageAttacher attacher) {
        dispatcher = new Dispatcher("nvdimm", List.of(new AttachImageCommand(() -> attacher, cwd::get),
                new DetachImageCommand(() -> attacher, cwd::get)));
    }

    /** Gogo's entry point for every function of the component; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        if (session != null) {
            cwd.set(session.currentDir());
        }
        try {
            return dispatcher.dispatch(argv);
        } finally {
            cwd.remove();
        }
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
