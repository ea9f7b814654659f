package nvdimm.btt.internal.format;

import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * The external sector sizes a BTT supports ({@code btt_lbasize_supported}) and what each means on the media:
 * the internal block size (rounded up to 64, {@code INT_LBASIZE_ALIGNMENT}), the data bytes (Linux's
 * {@code sector_size}, 512 or 4096) and the integrity bytes stored after them.
 */
public final class SectorSizes {

    /** The supported external sector sizes, in ndctl's order. */
    public static final List<Integer> SUPPORTED = List.of(512, 520, 528, 4096, 4104, 4160, 4224);

    /** Internal block sizes are multiples of this. */
    public static final int INTERNAL_ALIGNMENT = 64;

    private SectorSizes() {
    }

    /** Whether {@code lbasize} is one of {@link #SUPPORTED}. */
    public static boolean isSupported(long lbasize) {
        return lbasize == 512 || lbasize == 520 || lbasize == 528 || lbasize == 4096 || lbasize == 4104
                || lbasize == 4160 || lbasize == 4224;
    }

    /**
     * Refuses an unsupported size.
     *
     * @throws NvdimmException EINVAL naming {@code what} and the size
     */
    public static int require(String what, long lbasize) {
        if (!isSupported(lbasize)) {
            throw new NvdimmException(Errno.EINVAL, what + ": sector size " + lbasize + " is not supported (one of "
                    + SUPPORTED + ")");
        }
        return (int) lbasize;
    }

    /** The internal block size of a supported external size: rounded up to a multiple of 64. */
    public static int internalLbaSize(int lbasize) {
        return (lbasize + INTERNAL_ALIGNMENT - 1) / INTERNAL_ALIGNMENT * INTERNAL_ALIGNMENT;
    }

    /** The data bytes of a sector (Linux's {@code btt->sector_size}): 4096 from 4096 up, else 512. */
    public static int dataBytes(int lbasize) {
        return lbasize >= 4096 ? 4096 : 512;
    }

    /** The integrity bytes stored after the data ({@code btt_meta_size}): 0, 8, 16, 64 or 128. */
    public static int integrityBytes(int lbasize) {
        return lbasize - dataBytes(lbasize);
    }
}
