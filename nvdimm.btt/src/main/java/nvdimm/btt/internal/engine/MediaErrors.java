package nvdimm.btt.internal.engine;

/**
 * What the BTT needs to know about media errors of the bytes it sits on, beyond reads failing with EIO: whether
 * a free block lies on a bad block ({@code btt_is_badblock}), and how to clear one before it is reused
 * ({@code arena_clear_freelist_error}: a write that is not {@code NVDIMM_IO_ATOMIC}, which clears bad blocks
 * through the provider). Offsets are the medium's.
 */
public interface MediaErrors {

    /** A medium without bad blocks: clearing writes zeros and persists them. */
    MediaErrors NONE = new MediaErrors() {
        @Override
        public boolean isBad(long offset, long length) {
            return false;
        }
    };

    /** Whether a 512-byte sector under {@code [offset, offset + length)} is a known bad block. */
    boolean isBad(long offset, long length);

    /**
     * Writes zeros over {@code [offset, offset + length)} of {@code medium} and persists them, clearing the bad
     * blocks under it where the medium can. The default writes and persists zeros, for a medium without bad
     * blocks.
     *
     * @param zeros a zero-filled segment of at least {@code length} bytes, for an allocation-free write
     * @throws nvdimm.bus.NvdimmException the errno of the write or the clear (EIO when a bad block stays)
     */
    default void clear(nvdimm.bus.Medium medium, long offset, long length, java.lang.foreign.MemorySegment zeros) {
        medium.write(offset, zeros, 0, length);
        medium.persist(offset, length);
    }
}
