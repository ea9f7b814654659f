package nvdimm.shell.internal.blockdev;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.namespace.BlockDevice;
import nvdimm.shell.internal.Terminals;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.ProgressBar;
import nvdimm.shell.internal.cli.HelpSource;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code nvdimm:dd}: copies between host files and the block devices that exist now (every
 * {@link BlockDevice} service: raw pmem devices, BTT sector devices), found by name. In the
 * interactive shell, with standard error on its terminal, a long copy shows a progress bar.
 */
@Component(service = {DdCommands.class, HelpSource.class})
@GogoCommand(scope = "nvdimm", function = {"dd"})
public final class DdCommands implements HelpSource {

    private final List<BlockDevice> devices = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher;
    private final ThreadLocal<CommandSession> session = new ThreadLocal<>();

    public DdCommands() {
        dispatcher = new Dispatcher("nvdimm", List.of(new DdCommand(this::find, this::cwd, this::progress,
                System::nanoTime)));
    }

    /** For tests: dd over these devices. */
    public DdCommands(List<BlockDevice> devices) {
        this();
        this.devices.addAll(devices);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(BlockDevice device) {
        devices.add(device);
    }

    void removeDevice(BlockDevice device) {
        devices.remove(device);
    }

    /** The block devices' names, for completion. */
    public List<String> deviceNames() {
        return devices.stream().map(BlockDevice::name).sorted().toList();
    }

    /**
     * The device of that name, an active one first: while a device is re-published (a namespace disabled and
     * enabled) the list can hold the old object beside the new one for a moment.
     */
    private Optional<BlockDevice> find(String name) {
        Optional<BlockDevice> active = devices.stream().filter(d -> d.name().equals(name) && d.isActive()).findFirst();
        return active.isPresent() ? active : devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private Path cwd() {
        CommandSession s = session.get();
        return s == null ? Path.of("").toAbsolutePath() : s.currentDir();
    }

    /** A bar on the interactive shell's terminal when stderr is that terminal, else none. */
    private ProgressBar progress() {
        return Terminals.progressBar(session.get(), DdProgress::tail);
    }

    /** Gogo's entry point; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession s, String[] argv) throws Exception {
        session.set(s);
        try {
            return dispatcher.dispatch(argv);
        } finally {
            session.remove();
        }
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }
}
