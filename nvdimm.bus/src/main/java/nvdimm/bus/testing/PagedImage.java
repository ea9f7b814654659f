package nvdimm.bus.testing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import nvdimm.bus.Medium;

/**
 * A byte image in 4 KiB pages shared copy-on-write: {@link #copy()} shares every page, and a page
 * is copied only when one of the sharers writes to it. Pages never written are one shared zero
 * page, so a large, mostly empty image costs only its page table. Not thread-safe: its owner
 * serialises access.
 */
final class PagedImage {

    static final int PAGE_SHIFT = 12;
    static final int PAGE = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE - 1;
    private static final byte[] ZERO = new byte[PAGE];
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long size;
    private final byte[][] pages;
    /** Whether each page belongs to this image alone and may be written in place. */
    private final boolean[] owned;

    /** A zero-filled image of {@code size} bytes. */
    PagedImage(long size) {
        long count = (size + PAGE - 1) >>> PAGE_SHIFT;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an image of " + size + " bytes has too many pages");
        }
        this.size = size;
        this.pages = new byte[(int) count][];
        Arrays.fill(pages, ZERO);
        this.owned = new boolean[(int) count];
    }

    private PagedImage(long size, byte[][] pages) {
        this.size = size;
        this.pages = pages;
        this.owned = new boolean[pages.length];
    }

    /** A copy of {@code medium}'s content; its all-zero pages share the zero page. */
    static PagedImage of(Medium medium) {
        PagedImage image = new PagedImage(medium.size());
        byte[] buffer = new byte[PAGE];
        for (int p = 0; p < image.pages.length; p++) {
            int len = (int) Math.min(PAGE, medium.size() - ((long) p << PAGE_SHIFT));
            medium.read((long) p << PAGE_SHIFT, buffer, 0, len);
            if (!Arrays.equals(buffer, ZERO)) {
                image.pages[p] = buffer;
                image.owned[p] = true;
                buffer = new byte[PAGE];
            }
        }
        return image;
    }

    /** Shares every page with a new image; both copy a page before they next write to it. */
    PagedImage copy() {
        Arrays.fill(owned, false);
        return new PagedImage(size, pages.clone());
    }

    long size() {
        return size;
    }

    int pageCount() {
        return pages.length;
    }

    /** Page {@code p} for reading; the caller never writes to it. */
    byte[] page(int p) {
        return pages[p];
    }

    /** Whether page {@code p} is the shared zero page. */
    boolean isZero(int p) {
        return pages[p] == ZERO;
    }

    /** Page {@code p} for writing: copied first when it is shared. */
    byte[] writablePage(int p) {
        if (!owned[p]) {
            pages[p] = pages[p].clone();
            owned[p] = true;
        }
        return pages[p];
    }

    /** The little-endian word at an 8-byte aligned offset. */
    long getLong(long offset) {
        return (long) LONG.get(pages[(int) (offset >>> PAGE_SHIFT)], (int) (offset & PAGE_MASK));
    }

    /** Stores the little-endian word at an 8-byte aligned offset. */
    void putLong(long offset, long value) {
        LONG.set(writablePage((int) (offset >>> PAGE_SHIFT)), (int) (offset & PAGE_MASK), value);
    }

    /** The little-endian word at {@code at} of a page. */
    static long getLong(byte[] page, int at) {
        return (long) LONG.get(page, at);
    }

    /** Stores the little-endian word at {@code at} of a page. */
    static void putLong(byte[] page, int at, long value) {
        LONG.set(page, at, value);
    }
}
