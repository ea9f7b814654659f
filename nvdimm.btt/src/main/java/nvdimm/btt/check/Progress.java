package nvdimm.btt.check;

/** Where a long check is, for a progress bar: called from the checking thread as work is done. */
@FunctionalInterface
public interface Progress {
    /** No progress shown. */
    Progress NONE = (phase, done, total) -> { };

    /**
     * @param phase what is being checked, {@code "arena 0 map"}
     * @param done units done so far in this phase
     * @param total units in this phase
     */
    void update(String phase, long done, long total);
}
