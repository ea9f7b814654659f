package nvdimm.btt.internal.format;

import nvdimm.bus.Fletcher64;

/**
 * The info block's checksum: libnvdimm's Fletcher64 over the 4096 bytes with the checksum field read as 0
 * ({@code nd_sb_checksum}). The one place the BTT computes a Fletcher64.
 */
public final class BttChecksum {

    private BttChecksum() {
    }

    /** The checksum of a 4096-byte info block, its own checksum field taken as zero; {@code block} is not changed. */
    public static long of(byte[] block) {
        byte[] copy = block.clone();
        for (int i = InfoBlock.CHECKSUM_OFFSET; i < InfoBlock.CHECKSUM_OFFSET + 8 && i < copy.length; i++) {
            copy[i] = 0;
        }
        return Fletcher64.of(copy);
    }
}
