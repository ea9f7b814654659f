package nvdimm.shell.internal.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jline.builtins.Options;

/**
 * Runs the subcommands of one Gogo scope whose names are not Java identifiers
 * ({@code ndctl:enable-dimm}, {@code nvdimm:attach-image}): Gogo hands them to {@code _main} with the
 * function's name in {@code argv[0]}; options are parsed from each command's usage table, GNU style
 * ({@code -Du}, {@code --bus=ndbus0}, {@code --bus ndbus0}), and {@code -?}/{@code --help} prints it.
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

    /** Runs {@code argv[0]} (with or without the scope prefix) on the rest of {@code argv}. */
    public Object dispatch(String[] argv) throws Exception {
        String name = argv[0].substring(argv[0].indexOf(':') + 1);
        if (name.equals("help")) {
            return help();
        }
        Subcommand command = commands.get(name);
        if (command == null) {
            throw new UsageError(scope + ": unknown command '" + name + "'; " + scope + ":help lists them");
        }
        Options opt;
        try {
            opt = Options.compile(usage(command)).parse(argv, true);
        } catch (IllegalArgumentException e) {
            throw new UsageError(scope + " " + name + ": "
                    + e.getMessage().replaceFirst("^(usage error: )?" + Pattern.quote(argv[0]) + ": ", "")
                    + " (see " + scope + ":" + name + " --help)");
        }
        if (opt.isSet("help")) {
            return opt.usage();
        }
        try {
            return command.run(opt, System.err); // Gogo routes System.err to the session
        } catch (UsageError e) {
            throw new UsageError(scope + " " + name + ": " + e.getMessage());
        }
    }

    /** The scope's commands, one line each. */
    public String help() {
        StringBuilder text = new StringBuilder(scope + " commands (" + scope + ":<command> --help for options):\n");
        for (Subcommand c : commands.values()) {
            text.append(String.format("  %-16s %s%n", c.name(), c.usage().description()));
        }
        return text.toString().stripTrailing();
    }

    private String[] usage(Subcommand command) {
        Usage u = command.usage();
        String[] options = u.options();
        String[] usage = new String[options.length + 3];
        usage[0] = scope + ":" + u.name() + " - " + u.description();
        usage[1] = "Usage: " + scope + ":" + u.name() + " " + u.synopsis();
        System.arraycopy(options, 0, usage, 2, options.length);
        usage[usage.length - 1] = "  -? --help           show this help";
        return usage;
    }
}
