package nvdimm.shell.internal.ndctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import nvdimm.bus.DeviceCore;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.jline.builtins.Options;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code ndctl} scope: ndctl's subcommands under their own names ({@code ndctl:list -BD},
 * {@code ndctl:enable-dimm all}). Hyphenated names are no Java identifiers, so Gogo reaches them
 * through {@code _main}, and options are parsed from each command's usage table as ndctl users
 * expect ({@code -Du}, {@code --bus=ndbus0}). {@code ndctl:help} lists the commands; every command
 * takes {@code -?}/{@code --help}.
 */
@Component(service = NdctlCommands.class)
@GogoCommand(scope = "ndctl", function = {"help", "list", "enable-dimm", "disable-dimm"})
public final class NdctlCommands {

    private final Map<String, Subcommand> commands = new LinkedHashMap<>();

    @Activate
    public NdctlCommands(@Reference DeviceCore core) {
        for (Subcommand c : List.of(new ListCommand(core), new DimmEnableCommand(core, true),
                new DimmEnableCommand(core, false))) {
            commands.put(c.name(), c);
        }
    }

    /** Gogo's entry point for every function of the scope; {@code argv[0]} is the function's name. */
    public Object _main(CommandSession session, String[] argv) throws Exception {
        String name = argv[0].substring(argv[0].indexOf(':') + 1);
        if (name.equals("help")) {
            return help();
        }
        Subcommand command = commands.get(name);
        if (command == null) {
            throw new UsageError("ndctl: unknown command '" + name + "'; ndctl:help lists them");
        }
        Options opt;
        try {
            opt = Options.compile(usage(command)).parse(argv, true);
        } catch (IllegalArgumentException e) {
            throw new UsageError("ndctl " + name + ": " + e.getMessage().replaceFirst("^(usage error: )?" + Pattern.quote(argv[0]) + ": ", "")
                    + " (see ndctl:" + name + " --help)");
        }
        if (opt.isSet("help")) {
            return opt.usage();
        }
        try {
            return command.run(opt, System.err); // Gogo routes System.err to the session
        } catch (UsageError e) {
            throw new UsageError("ndctl " + name + ": " + e.getMessage());
        }
    }

    @Descriptor("list the ndctl commands")
    public String help() {
        StringBuilder text = new StringBuilder("ndctl commands (ndctl:<command> --help for options):\n");
        for (Subcommand c : commands.values()) {
            text.append(String.format("  %-16s %s%n", c.name(), c.description()));
        }
        return text.toString().stripTrailing();
    }

    static String[] usage(Subcommand command) {
        String[] options = command.options();
        String[] usage = new String[options.length + 3];
        usage[0] = "ndctl:" + command.name() + " - " + command.description();
        usage[1] = "Usage: ndctl:" + command.name() + " " + command.synopsis();
        System.arraycopy(options, 0, usage, 2, options.length);
        usage[usage.length - 1] = "  -? --help           show this help";
        return usage;
    }
}
