package nvdimm.btt.internal.format;

import java.util.Optional;

import nvdimm.namespace.ClaimClass;

/**
 * The two on-media BTT versions Linux knows, and where each starts in its namespace (§1.1 of the formats
 * spec): v1.1 at 4 KiB (label-less namespaces, v1.1 labels, the Linux-only BTT GUID), v2.0 at 0 (v1.2 labels
 * with the UEFI BTT2 abstraction GUID).
 */
public enum BttVersion {
    /** Linux's original BTT: info block at namespace offset 4096; the first 4 KiB are never touched. */
    V1_1(1, 1, 4096),
    /** The UEFI 2.7 BTT: info block at namespace offset 0. */
    V2_0(2, 0, 0);

    private final int major;
    private final int minor;
    private final long initialOffset;

    BttVersion(int major, int minor, long initialOffset) {
        this.major = major;
        this.minor = minor;
        this.initialOffset = initialOffset;
    }

    /** {@code version_major} as written in the info block. */
    public int major() {
        return major;
    }

    /** {@code version_minor} as written in the info block. */
    public int minor() {
        return minor;
    }

    /** Where the first arena starts in the namespace; every arena offset is relative to it. */
    public long initialOffset() {
        return initialOffset;
    }

    /** Whether an info block carries this version ({@code nd_btt_version}'s check of the first arena). */
    public boolean matches(InfoBlock info) {
        return info.versionMajor() == major && info.versionMinor() == minor;
    }

    /**
     * The version an existing BTT must have on a namespace of this claim class ({@code nd_btt_version}): v2.0
     * for BTT2, v1.1 for NONE and BTT; empty for the classes {@code nd_btt_probe} leaves alone (PFN, DAX and
     * unknown GUIDs).
     */
    public static Optional<BttVersion> forClaimClass(ClaimClass claimClass) {
        return switch (claimClass) {
            case BTT2 -> Optional.of(V2_0);
            case NONE, BTT -> Optional.of(V1_1);
            case PFN, DAX, UNKNOWN -> Optional.empty();
        };
    }

    /**
     * The claim class Linux gives a namespace put into sector mode ({@code btt_claim_class} when ndctl writes
     * {@code holder_class = "btt"}): BTT for a label-less namespace and for v1.1 labels, BTT2 for v1.2 labels
     * (and for labels not written yet, which will be v1.2).
     *
     * @param labeled whether labels describe the namespace
     * @param labelVersion the label index version, {@code "1.1"} or {@code "1.2"}; empty when none is written yet
     */
    public static ClaimClass claimClassForSectorMode(boolean labeled, Optional<String> labelVersion) {
        if (!labeled) {
            return ClaimClass.BTT;
        }
        return labelVersion.filter("1.1"::equals).isPresent() ? ClaimClass.BTT : ClaimClass.BTT2;
    }

    /** The version a new BTT gets: {@link #forClaimClass} of {@link #claimClassForSectorMode}. */
    public static BttVersion forNewBtt(boolean labeled, Optional<String> labelVersion) {
        return forClaimClass(claimClassForSectorMode(labeled, labelVersion)).orElseThrow();
    }
}
