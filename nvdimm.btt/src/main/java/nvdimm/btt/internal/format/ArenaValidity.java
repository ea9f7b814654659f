package nvdimm.btt.internal.format;

import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.UuidBytes;

/**
 * Whether Linux accepts an info block ({@code nd_btt_arena_is_valid}), checked in its order: all 16
 * signature bytes, then a non-nil {@code parent_uuid} equal to the namespace's uuid, then the checksum. The
 * error flag does not make a block invalid (Linux only logs it; see {@link InfoBlock#errorFlag()}), and the
 * version is checked for the first arena only, by the probe ({@link BttVersion#matches}).
 */
public enum ArenaValidity {
    /** Linux accepts it. */
    VALID("valid"),
    /** The 16 signature bytes differ. */
    BAD_SIGNATURE("no BTT_ARENA_INFO signature"),
    /** The parent uuid is neither nil nor the namespace's uuid (a label-less namespace's uuid is nil). */
    FOREIGN_PARENT("parent uuid is not the namespace's"),
    /** The stored checksum is not the block's Fletcher64. */
    BAD_CHECKSUM("checksum mismatch");

    private final String problem;

    ArenaValidity(String problem) {
        this.problem = problem;
    }

    /** What is wrong, for messages ("valid" for {@link #VALID}). */
    public String problem() {
        return problem;
    }

    /**
     * Judges a raw block against the namespace it lies in.
     *
     * @param block the bytes read; anything other than 4096 bytes has no signature
     * @param namespaceUuid the namespace's uuid; empty for a label-less namespace
     */
    public static ArenaValidity of(byte[] block, Optional<UUID> namespaceUuid) {
        if (block.length != InfoBlock.SIZE || !InfoBlock.hasSignature(block)) {
            return BAD_SIGNATURE;
        }
        UUID parent = UuidBytes.uuid(block, InfoBlock.PARENT_UUID_OFFSET);
        if (!InfoBlock.NIL_UUID.equals(parent) && !parent.equals(namespaceUuid.orElse(InfoBlock.NIL_UUID))) {
            return FOREIGN_PARENT;
        }
        long stored = InfoBlock.decode(block).checksum();
        return stored == BttChecksum.of(block) ? VALID : BAD_CHECKSUM;
    }
}
