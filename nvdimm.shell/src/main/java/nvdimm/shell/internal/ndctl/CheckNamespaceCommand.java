package nvdimm.shell.internal.ndctl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jline.builtins.Options;

import nvdimm.btt.check.BttChecker;
import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.shell.internal.check.CheckOutcome;
import nvdimm.shell.internal.check.CheckProgress;
import nvdimm.shell.internal.cli.ProgressBar;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;

/**
 * {@code ndctl check-namespace}: the BTT checks and repairs of ndctl's {@code check.c} on attached namespaces.
 * A disabled namespace is enabled for the check (with no BTT) and disabled again; an enabled one is refused
 * ({@code check aborted, namespace online}, EBUSY) unless {@code -f}, which takes its BTT off for the check and
 * gives it back. {@code all} checks the sector-mode namespaces of the selected regions. The reports go to stdout
 * and the count to stderr ({@link CheckOutcome}); a namespace that cannot be checked (unknown, active, no BTT
 * where one is looked for) fails with its errno after the others were checked.
 */
final class CheckNamespaceCommand implements Subcommand {
    private final NamespaceTargets targets;
    private final Supplier<BttChecker> checker;
    private final Function<ProgressBar.Tail, ProgressBar> progress;

    CheckNamespaceCommand(NamespaceTargets targets, Supplier<BttChecker> checker,
            Function<ProgressBar.Tail, ProgressBar> progress) {
        this.targets = targets;
        this.checker = checker;
        this.progress = progress;
    }

    @Override
    public Usage usage() {
        return new Usage("check-namespace", "check (and repair) the BTT metadata of namespaces",
                "<namespace> [<namespace>..] | all [<options>]",
                "  -R --repair          perform metadata repairs (without it nothing is written)",
                "  -L --rewrite-log     regenerate the log in the current layout (needs --repair)",
                "  -f --force           check an active namespace: its BTT goes for the check and comes back",
                "  -j --json            print the findings as JSON",
                "  -v --verbose         also show notes (where this checker differs from ndctl)",
                "  -r --region=REGION   limit 'all' to a region",
                "  -b --bus=BUS         limit 'all' to a bus");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().isEmpty()) {
            throw new UsageError("specify a namespace, or all");
        }
        if (opt.isSet("rewrite-log") && !opt.isSet("repair")) {
            throw new UsageError("--rewrite-log needs --repair");
        }
        CheckOptions options = new CheckOptions(opt.isSet("repair"), opt.isSet("rewrite-log"));
        String bus = opt.isSet("bus") ? opt.get("bus") : null;
        String region = opt.isSet("region") ? opt.get("region") : null;
        List<String> names = new ArrayList<>();
        for (String arg : opt.args()) {
            if (arg.equals("all")) {
                for (NamespaceInfo n : targets.namespaces(bus, region)) {
                    if (!n.seed() && n.mode() == NamespaceMode.SECTOR && !names.contains(n.dev())) {
                        names.add(n.dev());
                    }
                }
            } else if (!names.contains(arg)) {
                names.add(arg);
            }
        }
        BttChecker btt = checker.get();
        List<CheckReport> reports = new ArrayList<>();
        NvdimmException first = null;
        for (String name : names) {
            CheckProgress bar = new CheckProgress(progress);
            try {
                reports.add(btt.checkNamespace(name, options, opt.isSet("force"), bar));
            } catch (NvdimmException e) {
                if (first == null) {
                    first = e; // thrown at the end: its message is printed then
                } else {
                    err.println(e.getMessage());
                }
            } finally {
                bar.finish();
            }
        }
        if (first != null) {
            if (!reports.isEmpty()) {
                System.out.println(CheckOutcome.render(reports, opt.isSet("json"), opt.isSet("verbose")));
            }
            throw first;
        }
        return CheckOutcome.finish(reports, opt.isSet("json"), opt.isSet("verbose"), err);
    }
}
