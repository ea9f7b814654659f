package nvdimm.shell.internal.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jline.builtins.Options;

/**
 * Runs the subcommands of one Gogo scope ({@code ndctl:enable-dimm}, {@code nvdimm:attach-image},
 * {@code lockdep:status}): Gogo hands them to {@code _main} with the function's name in {@code argv[0]};
 * options are parsed from each command's usage table, GNU style ({@code -Du}, {@code --bus=ndbus0},
 * {@code --bus ndbus0}), and {@code --help} prints it. {@code -?} works too but is not advertised:
 * Gogo expands it as a file pattern when a file's name matches.
 */
public final class Dispatcher {

    private final String scope;
    private final Map<String, Subcommand> commands = new LinkedHashMap<>();

    public Dispatcher(String scope, List<Subcommand> commands) {
        this.scope = scope;
        for (Subcommand c : commands) {
            this.commands.put(c.name(), c);
        }
    }

    /** The Gogo scope, e.g. {@code ndctl}. */
    public String scope() {
        return scope;
    }

    /** The commands' usages, in the order they were given. */
    public List<Usage> usages() {
        return commands.values().stream().map(Subcommand::usage).toList();
    }

    /** The full help text of one command (name without the scope), as {@code --help} prints it. */
    public Optional<String> usageText(String name) {
        Subcommand command = commands.get(name);
        return command == null ? Optional.empty() : Optional.of(compile(command).usage());
    }

    /** Runs {@code argv[0]} (with or without the scope prefix) on the rest of {@code argv}. */
    public Object dispatch(String[] argv) throws Exception {
        String name = argv[0].substring(argv[0].indexOf(':') + 1);
        Subcommand command = commands.get(name);
        if (command == null) {
            throw new UsageError(scope + ": unknown command '" + name + "'; help lists the commands");
        }
        List<String> args = Arrays.asList(argv).subList(1, argv.length);
        if (args.contains("-?")) {
            return compile(command).usage();
        }
        Options opt;
        try {
            opt = compile(command).parse(argv, true);
        } catch (IllegalArgumentException e) {
            throw new UsageError(scope + " " + name + ": "
                    + e.getMessage().replaceFirst("^(usage error: )?" + Pattern.quote(argv[0]) + ": ", "")
                    + " (see " + scope + ":" + name + " --help)");
        }
        if (opt.isSet("help")) {
            return opt.usage();
        }
        try {
            refuseEmptyAndRepeated(command.usage(), opt);
            return command.run(opt, args, System.err); // Gogo routes System.err to the session
        } catch (UsageError e) {
            throw new UsageError(scope + " " + name + ": " + e.getMessage());
        }
    }

    /** An option's long name in a usage line that takes a value: {@code --bus=BUS}. */
    private static final Pattern VALUE_OPTION = Pattern.compile("^\\s*(?:-\\S\\s+)?--([\\w-]+)=");

    /**
     * Refuses what names nothing and what says two things: an empty operand ({@code ''}, which
     * would otherwise match every device where an absent filter does), an option given an empty value,
     * and an option that takes a value given twice (ndctl keeps the last; here neither is guessed).
     */
    private static void refuseEmptyAndRepeated(Usage usage, Options opt) {
        for (String arg : opt.args()) {
            if (arg.isEmpty()) {
                throw new UsageError("an empty argument ('') names nothing");
            }
        }
        for (String line : usage.options()) {
            Matcher m = VALUE_OPTION.matcher(line);
            if (!m.find() || !opt.isSet(m.group(1))) {
                continue;
            }
            String name = m.group(1);
            List<String> values = opt.getList(name);
            if (values.size() > 1) {
                throw new UsageError("--" + name + " given twice ('" + String.join("', '", values) + "'); give it once");
            }
            if (values.getFirst().isEmpty()) {
                throw new UsageError("--" + name + " is empty ('')");
            }
        }
    }

    private Options compile(Subcommand command) {
        Usage u = command.usage();
        List<String> usage = new ArrayList<>();
        usage.add(scope + ":" + u.name() + " - " + u.description());
        usage.add("Usage: " + scope + ":" + u.name() + (u.synopsis().isEmpty() ? "" : " " + u.synopsis()));
        usage.addAll(List.of(u.options()));
        usage.add("     --help           show this help");
        return Options.compile(usage.toArray(String[]::new));
    }
}
