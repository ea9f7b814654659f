package nvdimm.bus.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A crash image: a frozen persisted image plus the pending words this image applies, as a volatile
 * {@link Medium} a checker may read, write and run recovery on. Nothing is copied to make one: reads
 * come from the shared persisted pages with the applied words laid over them, and a page is copied
 * only when the checker writes to it (with the applied words of that page folded in). So an image
 * costs memory in proportion to its applied words and the pages the checker writes.
 *
 * <p>Thread-safe: every access holds one lock, which also gives the atomic accessors their
 * ordering.
 */
final class ImageMedium implements Medium {

    private final String name;
    private final PagedImage base;
    /** The applied words: byte offsets ascending, and their values. */
    private final long[] wordOffsets;
    private final long[] wordValues;
    /** Pages the checker wrote, by page number; they hold the applied words of their page. */
    private final Map<Integer, byte[]> written = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    ImageMedium(String name, PagedImage base, long[] wordOffsets, long[] wordValues) {
        this.name = Objects.requireNonNull(name, "name");
        this.base = base;
        this.wordOffsets = wordOffsets;
        this.wordValues = wordValues;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return base.size();
    }

    @Override
    public Persistence persistence() {
        return Persistence.VOLATILE;
    }

    /** The array forms go through the segment forms: one page walk serves each direction. */
    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        Objects.requireNonNull(dst, "dst");
        checkArray(dst.length, off, len);
        read(offset, MemorySegment.ofArray(dst).asSlice(off, len));
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        Objects.requireNonNull(src, "src");
        checkArray(src.length, off, len);
        write(offset, MemorySegment.ofArray(src).asSlice(off, len));
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new NvdimmException(Errno.EINVAL, name + ": cannot read into a read-only segment");
        }
        long len = dst.byteSize();
        access(offset, len);
        try {
            long done = 0;
            while (done < len) {
                long at = offset + done;
                int within = (int) (at & PagedImage.PAGE_MASK);
                int n = (int) Math.min(len - done, PagedImage.PAGE - within);
                MemorySegment.copy(page(at), within, dst, ValueLayout.JAVA_BYTE, done, n);
                done += n;
            }
            overlay(offset, len, (at, b) -> dst.set(ValueLayout.JAVA_BYTE, at - offset, b));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(long offset, MemorySegment src) {
        Objects.requireNonNull(src, "src");
        long len = src.byteSize();
        access(offset, len);
        try {
            long done = 0;
            while (done < len) {
                long at = offset + done;
                int within = (int) (at & PagedImage.PAGE_MASK);
                int n = (int) Math.min(len - done, PagedImage.PAGE - within);
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, done, writable(at), within, n);
                done += n;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int readInt(long offset) {
        atomic(offset, Integer.BYTES);
        try {
            long word = wordAt(offset & ~7L);
            return (int) (word >>> ((offset & 4) * Byte.SIZE));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long readLong(long offset) {
        atomic(offset, Long.BYTES);
        try {
            return wordAt(offset);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeInt(long offset, int value) {
        atomic(offset, Integer.BYTES);
        try {
            long wordStart = offset & ~7L;
            int shift = (int) (offset & 4) * Byte.SIZE;
            long word = (wordAt(wordStart) & ~(0xFFFF_FFFFL << shift)) | ((value & 0xFFFF_FFFFL) << shift);
            PagedImage.putLong(writable(wordStart), (int) (wordStart & PagedImage.PAGE_MASK), word);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeLong(long offset, long value) {
        atomic(offset, Long.BYTES);
        try {
            PagedImage.putLong(writable(offset), (int) (offset & PagedImage.PAGE_MASK), value);
        } finally {
            lock.unlock();
        }
    }

    /** A volatile image: nothing to make durable, only the checks. */
    @Override
    public void persist(long offset, long length) {
        access(offset, length);
        lock.unlock();
    }

    @Override
    public void drain() {
        access(0, 0);
        lock.unlock();
    }

    @Override
    public void sync() {
        access(0, 0);
        lock.unlock();
    }

    /** Releases the checker's pages; later accesses fail with ENXIO. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            written.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The page holding {@code at}, for reading: the checker's copy or the shared one. */
    private byte[] page(long at) {
        int p = (int) (at >>> PagedImage.PAGE_SHIFT);
        byte[] own = written.get(p);
        return own != null ? own : base.page(p);
    }

    /** The page holding {@code at}, for writing: copied on first write, with its applied words. */
    private byte[] writable(long at) {
        int p = (int) (at >>> PagedImage.PAGE_SHIFT);
        byte[] own = written.get(p);
        if (own == null) {
            own = base.page(p).clone();
            long pageStart = (long) p << PagedImage.PAGE_SHIFT;
            for (int i = firstWord(pageStart); i < wordOffsets.length && wordOffsets[i] < pageStart + PagedImage.PAGE; i++) {
                PagedImage.putLong(own, (int) (wordOffsets[i] - pageStart), wordValues[i]);
            }
            written.put(p, own);
        }
        return own;
    }

    /** The word at an aligned offset as this image shows it. */
    private long wordAt(long offset) {
        int p = (int) (offset >>> PagedImage.PAGE_SHIFT);
        byte[] own = written.get(p);
        if (own != null) {
            return PagedImage.getLong(own, (int) (offset & PagedImage.PAGE_MASK));
        }
        int i = Arrays.binarySearch(wordOffsets, offset);
        return i >= 0 ? wordValues[i] : base.getLong(offset);
    }

    /** Index of the first applied word at or after {@code offset}. */
    private int firstWord(long offset) {
        int i = Arrays.binarySearch(wordOffsets, offset);
        return i >= 0 ? i : -i - 1;
    }

    private interface ByteSink {
        void put(long at, byte b);
    }

    /** Lays the applied words over a read of {@code [offset, offset+len)}, where no page was written. */
    private void overlay(long offset, long len, ByteSink sink) {
        long end = offset + len;
        for (int i = firstWord(offset & ~7L); i < wordOffsets.length && wordOffsets[i] < end; i++) {
            long word = wordOffsets[i];
            if (written.containsKey((int) (word >>> PagedImage.PAGE_SHIFT))) {
                continue; // the written page holds it, and maybe the checker's own bytes over it
            }
            for (long at = Math.max(word, offset); at < Math.min(word + 8, end); at++) {
                sink.put(at, (byte) (wordValues[i] >>> ((at - word) * Byte.SIZE)));
            }
        }
    }

    /** Checks a range, takes the lock and refuses a closed image; the caller unlocks. */
    private void access(long offset, long length) {
        if (offset < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative offset " + offset);
        }
        if (length < 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": negative length " + length);
        }
        if (offset > size() - length) {
            throw new NvdimmException(Errno.ENXIO,
                    name + ": offset " + offset + " + " + length + " is beyond the medium's size " + size());
        }
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new NvdimmException(Errno.ENXIO, name + ": the medium is closed");
        }
    }

    private void atomic(long offset, int width) {
        if (offset >= 0 && (offset & (width - 1)) != 0) {
            throw new NvdimmException(Errno.EINVAL,
                    name + ": offset " + offset + " is not " + width + "-byte aligned for an atomic access");
        }
        access(offset, width);
    }

    private void checkArray(int arrayLength, int off, int len) {
        if (off < 0 || len < 0 || off > arrayLength - len) {
            throw new NvdimmException(Errno.EINVAL,
                    name + ": buffer range " + off + " + " + len + " is outside an array of " + arrayLength + " bytes");
        }
    }
}
