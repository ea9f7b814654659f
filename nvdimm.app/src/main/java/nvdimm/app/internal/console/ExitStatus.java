package nvdimm.app.internal.console;

import java.util.List;

/**
 * The arguments of {@code exit [N]} and {@code quit [N]}, shared by the interactive shell and
 * one-shot mode (only JDK types: the launcher uses it outside the framework too).
 */
public final class ExitStatus {

    public static final List<String> COMMANDS = List.of("exit", "quit");

    private ExitStatus() {
    }

    /** The exit code the arguments ask for: none means 0, else one number from 0 to 255. */
    public static int parse(String command, List<?> args) {
        if (args.isEmpty()) {
            return 0;
        }
        if (args.size() > 1) {
            throw new IllegalArgumentException(command + ": too many arguments (usage: " + command + " [N])");
        }
        String text = String.valueOf(args.get(0));
        try {
            int code = Integer.parseInt(text);
            if (code >= 0 && code <= 255) {
                return code;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as an out-of-range number
        }
        throw new IllegalArgumentException(command + ": '" + text + "' is not an exit code from 0 to 255");
    }

    /** Thrown through Gogo by {@code exit}/{@code quit} so that nothing after them on the line runs. */
    public static final class Request extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Request(String command, int code) {
            super(command + " " + code, null, false, false);
        }
    }
}
