package nvdimm.lockdep;

/**
 * Counts that describe a validator's state.
 *
 * @param mode the current mode
 * @param classes registered lock classes
 * @param edges recorded dependencies between (class, subclass) pairs; one per ordered pair, whatever its
 *     types
 * @param chains validated held-lock sequences in the chain cache
 * @param reports distinct reports since the last reset
 */
public record LockdepStatus(LockdepMode mode, int classes, int edges, int chains, int reports) {
    @Override
    public String toString() {
        return "mode " + mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + classes + " classes, " + edges
                + " dependencies, " + chains + " chains, " + reports + " reports";
    }
}
