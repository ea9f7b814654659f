package nvdimm.shell.internal.cli;

/**
 * What a subcommand's help says: its name (as ndctl spells it: {@code list}, {@code enable-dimm}),
 * one line on what it does, the synopsis after the name ({@code "<nmem0> [<nmem1>..] [<options>]"}),
 * and its option lines in JLine {@code Options} syntax ({@code "  -b --bus=BUS   limit to a bus"}),
 * from which the options are also parsed.
 */
public record Usage(String name, String description, String synopsis, String... options) {

    public Usage {
        options = options.clone();
    }

    @Override
    public String[] options() {
        return options.clone();
    }
}
