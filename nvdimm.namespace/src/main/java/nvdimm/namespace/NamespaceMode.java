package nvdimm.namespace;

import java.util.Locale;
import java.util.Optional;

/**
 * How a namespace is used, as ndctl names it ({@code mode}): what claims it, from the label's claim class
 * ({@link ClaimClass}) or, label-less, from an info block on the namespace.
 */
public enum NamespaceMode {
    /** No claim: the namespace is a raw pmem block device ({@code pmemN}). */
    RAW,
    /** A BTT claims it: a sector device with power-fail atomic sectors ({@code pmemNs}). */
    SECTOR,
    /** A PFN (struct page) info block claims it; shown for labels Linux wrote, not created here. */
    FSDAX,
    /** A device-DAX info block claims it; shown for labels Linux wrote, not created here. */
    DEVDAX;

    /** ndctl's spelling: {@code raw}, {@code sector}, {@code fsdax}, {@code devdax}. */
    public String ndctlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this stack can create and use namespaces of this mode. */
    public boolean supported() {
        return this == RAW || this == SECTOR;
    }

    /** The mode with this ndctl name (also {@code safe} for SECTOR, {@code memory} for FSDAX, {@code dax} for DEVDAX, as ndctl accepts). */
    public static Optional<NamespaceMode> ofNdctlName(String name) {
        return switch (name) {
            case "raw" -> Optional.of(RAW);
            case "sector", "safe" -> Optional.of(SECTOR);
            case "fsdax", "memory" -> Optional.of(FSDAX);
            case "devdax", "dax" -> Optional.of(DEVDAX);
            default -> Optional.empty();
        };
    }
}
