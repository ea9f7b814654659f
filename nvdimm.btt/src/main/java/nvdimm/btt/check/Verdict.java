package nvdimm.btt.check;

/**
 * A check's outcome, and the one-shot exit status that says it: 0 consistent; 1 damage found and all of it
 * repaired (fsck's "errors corrected"); 250 damage left (ndctl's -ENXIO as an exit status).
 */
public enum Verdict {
    /** Nothing to repair. */
    CONSISTENT(0),
    /** Damage was found and every piece of it repaired. */
    REPAIRED(1),
    /** Damage is left: unrepairable, or repairable but not repaired (no {@code --repair}). */
    DAMAGED(250);

    private final int exitStatus;

    Verdict(int exitStatus) {
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    /** How reports and JSON name it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
