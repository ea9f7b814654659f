package nvdimm.app.internal.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Gogo prints a statement's result after its pipeline has ended, past its redirections: {@code
 * list -B > f} left f empty and printed the JSON. So when a statement's standard output is
 * redirected, its result is appended to the redirection's files, formatted as the shell would
 * print it, after whatever the command wrote there itself. Only JDK types: the launcher's
 * one-shot mode uses it outside the framework too.
 */
public final class ResultRedirection {

    /** Redirections of standard output alone: {@code >}, {@code >>}, {@code 1>}, {@code 1>>}. */
    private static final Pattern STDOUT = Pattern.compile("1?>>?");

    private ResultRedirection() {
    }

    /** A redirection of a statement: its operator and the text of its target. */
    public record Redirection(String operator, String target) {
        public boolean isStdout() {
            return STDOUT.matcher(operator).matches();
        }
    }

    /** Appends the formatted result, as the shell prints it (with a newline), to each file. */
    public static void append(List<Path> files, String formatted) throws IOException {
        for (Path file : files) {
            Files.writeString(file, formatted + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    }
}
