package nvdimm.btt.check;

import java.util.List;
import java.util.Optional;


/**
 * What a check found.
 *
 * @param target what was checked, {@code namespace0.0} or an image's path
 * @param version the BTT's version as its info block gives it ({@code "1.1"}, {@code "2.0"}), empty when no BTT
 *     was found
 * @param arenas how many arenas were checked
 * @param findings every finding, in the order found
 * @param verdict the outcome
 */
public record CheckReport(String target, Optional<String> version, int arenas, List<Finding> findings,
        Verdict verdict) {

    public CheckReport {
        findings = List.copyOf(findings);
    }

    /** The verdict the findings give: damaged if any is left, repaired if any was repaired, else consistent. */
    public static Verdict verdictOf(List<Finding> findings) {
        boolean repaired = false;
        for (Finding f : findings) {
            switch (f.status()) {
                case NEEDS_REPAIR, UNREPAIRABLE -> {
                    return Verdict.DAMAGED;
                }
                case REPAIRED -> repaired = true;
                case NOTE -> {
                    // not damage
                }
            }
        }
        return repaired ? Verdict.REPAIRED : Verdict.CONSISTENT;
    }
}
