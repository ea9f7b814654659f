package nvdimm.shell.internal.ndctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelAreas;
import nvdimm.shell.internal.cli.FileFailure;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code ndctl write-labels <nmem> -i FILE}: one DIMM's whole label area from a file, refused (nothing
 * written) for an active DIMM, a file of another size or one holding no valid index; {@code wrote 1 nmem}
 * on stderr.
 */
final class WriteLabelsCommand implements Subcommand {

    private final DimmSelection selection;
    private final LabelAreas labels;
    private final Supplier<Path> cwd;

    WriteLabelsCommand(DimmSelection selection, LabelAreas labels, Supplier<Path> cwd) {
        this.selection = selection;
        this.labels = labels;
        this.cwd = cwd;
    }

    @Override
    public Usage usage() {
        return new Usage("write-labels", "write a whole label area to a DIMM from a file", "<nmem> [<options>]",
                "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
                "  -i --input=FILE     the label area's bytes (required)",
                "  -v --verbose        name the DIMM when it is done");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (!opt.isSet("input")) {
            throw new UsageError("give the label area's file with -i FILE");
        }
        List<Dimm> dimms = selection.select(opt.args(), opt.isSet("bus") ? opt.get("bus") : null);
        if (dimms.size() > 1) {
            throw new UsageError("write-labels only supports writing a single dimm");
        }
        Path file = cwd.get().resolve(opt.get("input")).toAbsolutePath().normalize();
        Dimm dimm = dimms.getFirst();
        // at most one byte more than the label area: an endless input (/dev/zero) is refused, not read to the end
        long limit = dimm.labelAreaSize() + 1;
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw FileFailure.of(file, e);
        }
        if (bytes.length == limit && limit > 1) {
            err.println("wrote 0 nmem");
            throw new NvdimmException(Errno.EINVAL, dimm.name() + ": the input has more than " + (limit - 1)
                    + " bytes, the label area's size");
        }
        try {
            labels.write(dimms.getFirst().name(), bytes);
        } catch (NvdimmException e) {
            err.println("wrote 0 nmem");
            throw e;
        }
        if (opt.isSet("verbose")) {
            err.println("wrote " + dimms.getFirst().name());
        }
        err.println("wrote 1 nmem");
        return null;
    }
}
