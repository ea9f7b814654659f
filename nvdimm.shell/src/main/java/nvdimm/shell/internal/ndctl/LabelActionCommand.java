package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.List;

import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelAreas;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import org.jline.builtins.Options;

/**
 * {@code ndctl init-labels|zero-labels|check-labels}: each named DIMM in turn; failures are printed and
 * the count goes to stderr as ndctl prints it ({@code initialized 1 nmem}, {@code zeroed 2 nmems},
 * {@code successfully verified 1 nmem}). As ndctl, the command succeeds when it did at least one DIMM and
 * fails with the first failure's errno when it did none.
 */
final class LabelActionCommand implements Subcommand {

    enum Action {
        INIT("init-labels", "initialize the label area of DIMMs (two fresh index blocks)", "initialized"),
        ZERO("zero-labels", "zero the label area of DIMMs (they become label-less)", "zeroed"),
        CHECK("check-labels", "check that DIMMs have a valid namespace index block", "successfully verified");

        final String command;
        final String description;
        final String done;

        Action(String command, String description, String done) {
            this.command = command;
            this.description = description;
            this.done = done;
        }
    }

    private final DimmSelection selection;
    private final LabelAreas labels;
    private final Action action;

    LabelActionCommand(DimmSelection selection, LabelAreas labels, Action action) {
        this.selection = selection;
        this.labels = labels;
        this.action = action;
    }

    @Override
    public Usage usage() {
        String synopsis = "<nmem0> [<nmem1>..<nmemN>] [<options>]";
        if (action == Action.INIT) {
            return new Usage(action.command, action.description, synopsis,
                    "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
                    "  -f --force          initialize even over a valid index block",
                    "  -V --label-version=VERSION  label version, 1.1 (default) or 1.2",
                    "  -v --verbose        name each DIMM as it is done");
        }
        return new Usage(action.command, action.description, synopsis,
                "  -b --bus=BUS        limit to a bus: ndbusN, N, its provider, or all",
                "  -v --verbose        name each DIMM as it is done");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        LabelVersion version = action == Action.INIT && opt.isSet("label-version")
                ? LabelVersion.parse(opt.get("label-version")) : LabelVersion.V1_1;
        List<Dimm> dimms = selection.select(opt.args(), opt.isSet("bus") ? opt.get("bus") : null);
        int done = 0;
        NvdimmException first = null;
        for (Dimm dimm : dimms) {
            try {
                switch (action) {
                    case INIT -> labels.init(dimm.name(), version, opt.isSet("force"));
                    case ZERO -> labels.zero(dimm.name());
                    case CHECK -> {
                        LabelArea a = labels.check(dimm.name());
                        if (opt.isSet("verbose")) {
                            err.println(dimm.name() + ": v" + a.version().text() + " index " + a.current() + " current, "
                                    + a.labels().size() + " labels, " + a.freeSlots().size() + " free slots");
                        }
                    }
                }
                done++;
                if (opt.isSet("verbose") && action != Action.CHECK) {
                    err.println(action.done + " " + dimm.name());
                }
            } catch (NvdimmException e) {
                err.println(e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        err.println(action.done + " " + done + " " + DimmSelection.nmems(done));
        if (done == 0 && first != null) {
            throw first;
        }
        return null;
    }
}
