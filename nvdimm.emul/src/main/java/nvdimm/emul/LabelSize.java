package nvdimm.emul;

import java.util.Locale;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.Sizes;

/**
 * The label area size asked of {@link ImageAttacher#attach}: {@link #AUTO} (find it), {@link #NONE}
 * (no labels) or a number of bytes at the end of the image, as QEMU's
 * {@code -device nvdimm,label-size=N}.
 */
public final class LabelSize {

    /** Detect the label area: see {@link ImageAttacher#attach}. */
    public static final LabelSize AUTO = new LabelSize(-1);
    /** No label area: the whole image is persistent memory (QEMU without {@code label-size}). */
    public static final LabelSize NONE = new LabelSize(0);

    private final long bytes;

    private LabelSize(long bytes) {
        this.bytes = bytes;
    }

    /**
     * A label area of {@code bytes} bytes; 0 is {@link #NONE}. Whether the size is acceptable (at
     * least 128 KiB, smaller than the image) is checked when attaching.
     *
     * @throws NvdimmException EINVAL for a negative size
     */
    public static LabelSize ofBytes(long bytes) {
        if (bytes < 0) {
            throw new NvdimmException(Errno.EINVAL, "label size " + bytes + ": must not be negative");
        }
        return bytes == 0 ? NONE : new LabelSize(bytes);
    }

    /**
     * Parses {@code auto}, {@code 0}, or a size: decimal bytes with an optional binary suffix
     * {@code K}, {@code M}, {@code G}, {@code T} (or {@code KiB} ...), ignoring case.
     *
     * @throws NvdimmException EINVAL for anything else
     */
    public static LabelSize parse(String text) {
        if (text == null) {
            throw new NvdimmException(Errno.EINVAL, "label size: missing; give auto, 0 or a size");
        }
        String t = text.strip();
        if (t.toLowerCase(Locale.ROOT).equals("auto")) {
            return AUTO;
        }
        try {
            return ofBytes(Sizes.parse(t));
        } catch (IllegalArgumentException e) {
            throw new NvdimmException(Errno.EINVAL, "label size '" + text + "': " + e.getMessage()
                    + "; give auto, 0 or a size such as 128K", e);
        }
    }

    /** Whether the size is to be detected. */
    public boolean isAuto() {
        return bytes < 0;
    }

    /**
     * The size in bytes.
     *
     * @throws IllegalStateException for {@link #AUTO}, which has no size yet
     */
    public long bytes() {
        if (isAuto()) {
            throw new IllegalStateException("the label size is to be detected");
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSize other && other.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    /** {@code auto}, or the number of bytes. */
    @Override
    public String toString() {
        return isAuto() ? "auto" : Long.toString(bytes);
    }
}
