package nvdimm.btt.internal.format;

import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Medium;
import nvdimm.namespace.ClaimClass;

/**
 * Whether a namespace holds a BTT Linux would claim ({@code nd_btt_probe} → {@code __nd_btt_probe} →
 * {@code nd_btt_version}): a claim class a BTT may have, a namespace of at least 16 MiB, and a valid first
 * info block at the version's initial offset carrying that version. Reads one block.
 */
public final class BttProbe {

    /** Smallest namespace Linux probes for a BTT. */
    public static final long MIN_NAMESPACE = ArenaGeometry.ARENA_MIN;

    private BttProbe() {
    }

    /**
     * What Linux finds on the namespace.
     *
     * @param version the version the claim class calls for
     * @param info the first info block
     */
    public record Probed(BttVersion version, InfoBlock info) {
    }

    /**
     * Probes a namespace.
     *
     * @param medium the medium it lies on
     * @param namespaceStart its offset on the medium
     * @param namespaceSize its size
     * @param claimClass its claim class (from its labels; {@link ClaimClass#NONE} when label-less)
     * @param namespaceUuid its uuid; empty when label-less
     * @return the version and first info block, or empty when Linux would not see a BTT there
     * @throws nvdimm.bus.NvdimmException the medium's errno when reading fails
     */
    public static Optional<Probed> probe(Medium medium, long namespaceStart, long namespaceSize,
            ClaimClass claimClass, Optional<UUID> namespaceUuid) {
        Optional<BttVersion> expected = BttVersion.forClaimClass(claimClass);
        if (expected.isEmpty() || namespaceSize < MIN_NAMESPACE
                || namespaceSize < expected.get().initialOffset() + InfoBlock.SIZE) {
            return Optional.empty();
        }
        byte[] block = new byte[InfoBlock.SIZE];
        medium.read(namespaceStart + expected.get().initialOffset(), block);
        if (ArenaValidity.of(block, namespaceUuid) != ArenaValidity.VALID) {
            return Optional.empty();
        }
        InfoBlock info = InfoBlock.decode(block);
        return expected.get().matches(info) ? Optional.of(new Probed(expected.get(), info)) : Optional.empty();
    }
}
