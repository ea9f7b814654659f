package nvdimm.app.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's command line, parsed. Exactly one of {@link #commands} and {@link #script} is set
 * in one-shot mode; neither in interactive mode.
 */
public record LaunchOptions(Mode mode, Path dataDir, String commands, String script) {

    public enum Mode { INTERACTIVE, COMMANDS, SCRIPT, HELP }

    public static final String DATA_ENV = "NVDIMM_DATA";
    public static final String DEFAULT_DATA = "nvdimm-data";

    public static final String USAGE = """
            usage: nvdimm [--data DIR] [-c COMMANDS | -f SCRIPT]

              (no option)        start an interactive Gogo shell on the stack
              -c, --command CMDS run the Gogo commands CMDS ("cmd; cmd"), print results, exit
              -f, --file SCRIPT  run the commands in file SCRIPT ("-" reads standard input), exit
              --data DIR         data directory: media files, deploy/, etc/, log/ and framework
                                 storage (default: $NVDIMM_DATA, else ./nvdimm-data)
              -h, --help         print this help

            One-shot mode exits 0 when every command succeeded, otherwise non-zero with the
            error on stderr.
            """;

    /** Parses {@code args}; {@code env} supplies {@value #DATA_ENV}. */
    public static LaunchOptions parse(String[] args, Map<String, String> env) throws UsageException {
        Mode mode = Mode.INTERACTIVE;
        String data = null;
        String commands = null;
        String script = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inline = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> mode = Mode.HELP;
                case "--data" -> data = inline != null ? nonEmpty(arg, inline) : next(arg, args, ++i);
                case "-c", "--command" -> {
                    requireOneShotUnset(commands, script);
                    commands = inline != null ? nonEmpty(arg, inline) : next(arg, args, ++i);
                }
                case "-f", "--file" -> {
                    requireOneShotUnset(commands, script);
                    script = inline != null ? nonEmpty(arg, inline) : next(arg, args, ++i);
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "' (commands go after -c)");
            }
        }
        if (mode != Mode.HELP) {
            if (commands != null) {
                mode = Mode.COMMANDS;
            } else if (script != null) {
                mode = Mode.SCRIPT;
            }
        }
        if (data == null) {
            data = env.getOrDefault(DATA_ENV, "");
            if (data.isBlank()) {
                data = DEFAULT_DATA;
            }
        }
        return new LaunchOptions(mode, Path.of(data).toAbsolutePath().normalize(), commands, script);
    }

    private static String nonEmpty(String option, String value) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException("option '" + option + "' needs a value");
        }
        return value;
    }

    private static String next(String option, String[] args, int i) throws UsageException {
        if (i >= args.length) {
            throw new UsageException("option '" + option + "' needs a value");
        }
        return nonEmpty(option, args[i]);
    }

    private static void requireOneShotUnset(String commands, String script) throws UsageException {
        if (commands != null || script != null) {
            throw new UsageException("give either one -c or one -f, not several");
        }
    }

    /** A command line the launcher cannot run; its message names the problem. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
