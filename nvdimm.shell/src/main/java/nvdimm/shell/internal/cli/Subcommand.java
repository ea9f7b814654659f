package nvdimm.shell.internal.cli;

import java.io.PrintStream;

import org.jline.builtins.Options;

/**
 * One ndctl subcommand: its name, synopsis, option table (JLine {@link Options} syntax, the
 * same table Gogo's own POSIX commands use) and what it does.
 */
public interface Subcommand {

    /** The name as ndctl spells it ({@code list}, {@code enable-dimm}). */
    String name();

    /** One line: what the command does. */
    String description();

    /** The synopsis after the command name, e.g. {@code "<nmem0> [<nmem1>..] [<options>]"}. */
    String synopsis();

    /** Option lines, e.g. {@code "  -b --bus=BUS   limit to the bus (name, number or provider)"}. */
    String[] options();

    /**
     * Runs the command with parsed options. Returns what Gogo prints (JSON text for listings), or
     * null; status lines such as {@code "enabled 1 nmem"} go to {@code err}, as ndctl prints them.
     *
     * @throws Exception a failure whose message names the object and the problem
     */
    Object run(Options options, PrintStream err) throws Exception;
}
