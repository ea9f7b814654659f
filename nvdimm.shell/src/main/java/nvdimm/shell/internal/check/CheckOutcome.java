package nvdimm.shell.internal.check;

import java.io.PrintStream;
import java.util.List;

import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Verdict;
import nvdimm.shell.internal.cli.ExitStatus;

/**
 * What a check command prints and how it ends: the reports (JSON or text) on stdout, {@code checked N
 * namespace(s)} on stderr as ndctl prints its counts, and an exit status from the worst verdict: 0 consistent,
 * 1 repaired, 250 damaged (ndctl's -ENXIO).
 */
final class CheckOutcome {
    private CheckOutcome() {
    }

    static Object finish(List<CheckReport> reports, boolean json, boolean verbose, PrintStream err) {
        Verdict worst = Verdict.CONSISTENT;
        for (CheckReport r : reports) {
            if (r.verdict().exitStatus() > worst.exitStatus()) {
                worst = r.verdict();
            }
        }
        Object out = json ? nvdimm.shell.internal.cli.Json.print(CheckJson.json(reports))
                : CheckJson.text(reports, verbose).stripTrailing();
        String count = "checked " + reports.size() + " namespace" + (reports.size() == 1 ? "" : "s");
        if (worst == Verdict.CONSISTENT) {
            err.println(count);
            return out;
        }
        System.out.println(out);
        throw new ExitStatus(worst.exitStatus(), count + ": " + (worst == Verdict.REPAIRED ? "repaired"
                : "damage left" + (reports.stream().anyMatch(r -> r.findings().stream().anyMatch(
                        f -> f.status() == nvdimm.btt.check.Finding.Status.NEEDS_REPAIR)) ? " (run with --repair)" : "")));
    }
}
