package nvdimm.shell.internal.cli;

import java.io.PrintStream;
import java.util.List;

import org.jline.builtins.Options;

/** One subcommand of a scope: its {@link Usage} (help text and option table) and what it does. */
public interface Subcommand {

    Usage usage();

    /** The name as ndctl spells it ({@code list}, {@code enable-dimm}). */
    default String name() {
        return usage().name();
    }

    /**
     * Runs the command with parsed options. Returns what Gogo prints (JSON text for listings), or
     * null; status lines such as {@code "enabled 1 nmem"} go to {@code err}, as ndctl prints them.
     *
     * @throws Exception a failure whose message names the object and the problem
     */
    Object run(Options options, PrintStream err) throws Exception;

    /**
     * {@link #run(Options, PrintStream)} with the command line as typed (after the command's name),
     * for a command that counts a repeated flag ({@code -vv}), which the parsed options do not.
     */
    default Object run(Options options, List<String> argv, PrintStream err) throws Exception {
        return run(options, err);
    }
}
