package nvdimm.shell.internal.check;

import java.io.PrintStream;
import java.util.List;

import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Finding;
import nvdimm.btt.check.Verdict;
import nvdimm.shell.internal.cli.ExitStatus;

/**
 * What a check command prints and how it ends: the reports (JSON or text) on stdout, {@code checked N
 * namespace(s)} on stderr as ndctl prints it (counting those left without damage, as ndctl counts), and an exit
 * status from the worst verdict: 0 consistent, 1 repaired, 250 damaged with ndctl's {@code error checking
 * namespaces: No such device or address}. ndctl exits 0 for a repair, and for damage it would repair but was not
 * asked to (info2, a map roll-forward); here those say so.
 */
public final class CheckOutcome {
    private CheckOutcome() {
    }

    /** The reports as JSON ({@code -j}) or text. */
    public static String render(List<CheckReport> reports, boolean json, boolean verbose) {
        return json ? nvdimm.shell.internal.cli.Json.print(CheckJson.json(reports))
                : CheckJson.text(reports, verbose).stripTrailing();
    }

    public static Object finish(List<CheckReport> reports, boolean json, boolean verbose, PrintStream err) {
        Verdict worst = Verdict.CONSISTENT;
        for (CheckReport r : reports) {
            if (r.verdict().exitStatus() > worst.exitStatus()) {
                worst = r.verdict();
            }
        }
        Object out = reports.isEmpty() ? null : render(reports, json, verbose); // nothing checked prints nothing
        long checked = reports.stream().filter(r -> r.verdict() != Verdict.DAMAGED).count();
        String count = "checked " + checked + " namespace" + (checked == 1 ? "" : "s");
        if (worst == Verdict.CONSISTENT) {
            err.println(count);
            return out;
        }
        System.out.println(out);
        if (worst == Verdict.REPAIRED) {
            throw new ExitStatus(worst.exitStatus(), count + " (repaired)");
        }
        boolean repairable = reports.stream().anyMatch(r -> r.findings().stream()
                .anyMatch(f -> f.status() == Finding.Status.NEEDS_REPAIR));
        throw new ExitStatus(worst.exitStatus(), "error checking namespaces: No such device or address (damage left"
                + (repairable ? "; run with --repair to make the changes" : "") + ")\n" + count);
    }
}
