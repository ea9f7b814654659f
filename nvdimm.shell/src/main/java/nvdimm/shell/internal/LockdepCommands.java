package nvdimm.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import nvdimm.lockdep.Dependency;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.LockdepStatus;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.HelpSource;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jline.builtins.Options;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lockdep:*}: the lock-order validator's state, reports and graph, and its mode. The mode
 * set here holds until the {@code nvdimm.lockdep} configuration changes or the runtime restarts.
 * Served through {@code _main} like the other scopes, so every command takes {@code --help}.
 */
@Component(service = {LockdepCommands.class, HelpSource.class})
@GogoCommand(scope = "lockdep", function = {"status", "reports", "graph", "mode", "reset"})
public final class LockdepCommands implements HelpSource {

    private final Lockdep lockdep;
    private final Dispatcher dispatcher;

    @Activate
    public LockdepCommands(@Reference Lockdep lockdep) {
        this.lockdep = lockdep;
        dispatcher = new Dispatcher("lockdep", List.of(
                command(new Usage("status", "the validator's mode and counts: classes, dependencies, cached chains, reports", ""),
                        opt -> status()),
                command(new Usage("reports", "every report since the last reset, in full", ""), opt -> reports()),
                command(new Usage("graph", "the recorded lock dependencies (held -> acquired), of all or of one lock class",
                        "[-d] [<class>]", "  -d --dot            print Graphviz dot instead of a list"),
                        opt -> opt.args().isEmpty() ? graph(opt.isSet("dot"))
                                : graph(opt.isSet("dot"), one(opt, "lock class"))),
                command(new Usage("mode", "show the validator's mode, or set it", "[off|warn|throw]"),
                        opt -> opt.args().isEmpty() ? mode() : mode(one(opt, "mode"))),
                command(new Usage("reset", "forget every dependency, cached chain and report (classes and mode stay)", ""),
                        opt -> reset())));
    }

    /** Gogo's entry point for every function of the scope; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        return dispatcher.dispatch(argv);
    }

    @Override
    public Dispatcher commands() {
        return dispatcher;
    }

    LockdepStatus status() {
        return lockdep.status();
    }

    String reports() {
        List<LockdepReport> reports = lockdep.reports();
        if (reports.isEmpty()) {
            return "no reports";
        }
        return reports.stream().map(LockdepReport::toString).collect(Collectors.joining("\n"));
    }

    String graph(boolean dot) {
        return dot ? lockdep.toDot() : list(lockdep.dependencies(), "no dependencies");
    }

    String graph(boolean dot, String className) {
        return dot ? lockdep.toDot(className)
                : list(lockdep.dependencies(className), "no dependencies of class " + className);
    }

    String mode() {
        return lockdep.mode().name().toLowerCase(Locale.ROOT);
    }

    String mode(String mode) {
        LockdepMode parsed;
        try {
            parsed = LockdepMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        lockdep.setMode(parsed);
        return mode();
    }

    String reset() {
        lockdep.reset();
        return "lockdep: reset; " + lockdep.status();
    }

    private static String list(List<Dependency> deps, String none) {
        return deps.isEmpty() ? none : deps.stream().map(Dependency::toString).collect(Collectors.joining("\n"));
    }

    private static String one(Options opt, String what) {
        if (opt.args().size() > 1) {
            throw new UsageError("give one " + what + ", not " + opt.args());
        }
        return opt.args().get(0);
    }

    private interface Action {
        Object run(Options opt);
    }

    private static Subcommand command(Usage usage, Action action) {
        return new Subcommand() {
            @Override
            public Usage usage() {
                return usage;
            }

            @Override
            public Object run(Options opt, PrintStream err) {
                if (usage.synopsis().isEmpty() && !opt.args().isEmpty()) {
                    throw new UsageError("takes no arguments, not " + opt.args());
                }
                return action.run(opt);
            }
        };
    }
}
