package nvdimm.shell.internal.ndctl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelAreas;
import nvdimm.shell.internal.cli.FileFailure;
import nvdimm.shell.internal.cli.Json;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import org.jline.builtins.Options;

/**
 * {@code ndctl read-labels}: the label areas' raw bytes, concatenated, to {@code -o FILE} or standard
 * output; with {@code -j} ndctl's JSON instead ({@code -u}: hex numbers and a single DIMM bare).
 * {@code read N nmem(s)} on stderr.
 */
final class ReadLabelsCommand implements Subcommand {

    private final DimmSelection selection;
    private final LabelAreas labels;
    private final Supplier<Path> cwd;

    ReadLabelsCommand(DimmSelection selection, LabelAreas labels, Supplier<Path> cwd) {
        this.selection = selection;
        this.labels = labels;
        this.cwd = cwd;
    }

    @Override
    public Usage usage() {
        return new Usage("read-labels", "read out the label area of DIMMs (raw bytes, or ndctl's JSON with -j)",
                "<nmem0> [<nmem1>..<nmemN>] [<options>]",
                "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
                "  -o --output=FILE    write to FILE instead of standard output",
                "  -j --json           parse the label data into JSON",
                "  -u --human          hex numbers in the JSON",
                "  -v --verbose        name each DIMM as it is read");
    }

    @Override
    public Object run(Options opt, PrintStream err) throws IOException {
        List<Dimm> dimms = selection.select(opt.args(), opt.isSet("bus") ? opt.get("bus") : null);
        boolean json = opt.isSet("json");
        boolean human = opt.isSet("human");
        ArrayNode array = Json.array();
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        int done = 0;
        NvdimmException first = null;
        for (Dimm dimm : dimms) {
            try {
                byte[] area = labels.read(dimm.name());
                if (json) {
                    array.add(LabelJson.of(dimm.name(), area, human));
                } else {
                    raw.write(area);
                }
                done++;
                if (opt.isSet("verbose")) {
                    err.println("read " + dimm.name());
                }
            } catch (NvdimmException e) {
                err.println(e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        Object result = null;
        if (done > 0) {
            byte[] bytes = json ? LabelJson.utf8(Json.print(human && array.size() == 1 ? array.get(0) : array) + "\n")
                    : raw.toByteArray();
            if (opt.isSet("output")) {
                Path file = cwd.get().resolve(opt.get("output")).toAbsolutePath().normalize();
                try {
                    Files.write(file, bytes);
                } catch (IOException e) {
                    throw FileFailure.of(file, e);
                }
            } else if (json) {
                result = Json.print(human && array.size() == 1 ? array.get(0) : array);
            } else {
                OutputStream out = System.out; // Gogo routes it to the session, or to the file of a > redirect
                out.write(bytes);
                out.flush();
            }
        }
        err.println("read " + done + " " + DimmSelection.nmems(done));
        if (done == 0 && first != null) {
            throw first;
        }
        return result;
    }
}
