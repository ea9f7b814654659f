package nvdimm.bus.internal;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** The argument checks every medium makes before it touches memory. */
final class Bounds {

    private Bounds() {
    }

    /**
     * Refuses a negative offset or length (EINVAL) and a range reaching past {@code size}
     * (ENXIO, as Linux answers an access beyond a device).
     */
    static void checkRange(String name, long size, long offset, long length) {
        if (offset < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative offset " + offset);
        }
        if (length < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative length " + length);
        }
        // size - length cannot overflow: both are non-negative here.
        if (offset > size - length) {
            throw new NvdimmException(Errno.ENXIO,
                    name + ": offset " + offset + " + " + length + " is beyond the medium's size " + size);
        }
    }

    /** Refuses an atomic access of {@code width} (4 or 8) bytes at an offset it does not divide. */
    static void checkAligned(String name, long offset, int width) {
        if ((offset & (width - 1)) != 0) {
            throw new NvdimmException(Errno.EINVAL,
                    name + ": offset " + offset + " is not " + width + "-byte aligned for an atomic access");
        }
    }

    /** Refuses a caller's array range {@code [off, off+len)} that does not lie inside the array. */
    static void checkArray(String name, int arrayLength, int off, int len) {
        if (off < 0 || len < 0 || off > arrayLength - len) {
            throw new NvdimmException(Errno.EINVAL,
                    name + ": buffer range " + off + " + " + len + " is outside an array of " + arrayLength + " bytes");
        }
    }

    /** Refuses a caller's segment range {@code [from, from+len)} that does not lie inside the segment. */
    static void checkSegment(String name, java.lang.foreign.MemorySegment segment, long from, long len) {
        if (from < 0 || len < 0 || from > segment.byteSize() - len) {
            throw new NvdimmException(Errno.EINVAL, name + ": segment range " + from + " + " + len
                    + " is outside a segment of " + segment.byteSize() + " bytes");
        }
    }
}
