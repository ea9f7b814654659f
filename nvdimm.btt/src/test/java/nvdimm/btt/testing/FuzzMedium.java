package nvdimm.btt.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A sparse, bounded medium for fuzz tests: 4 KiB pages kept in a map (a page never written reads as zeros), so an
 * image of tens of MiB costs only the pages a fuzz input sets. It refuses what every medium refuses (ENXIO past
 * the end, EINVAL for a negative or misaligned access) and also <em>records</em> each such attempt in
 * {@link #violations()}: a reader of untrusted bytes must check offsets before it reaches the medium, so a
 * refusal here is a finding even though the stack would see a clean ENXIO. Bytes moved are counted against a
 * budget, past which an access is a violation too (a reader looping over a bounded image). Not thread-safe.
 *
 * <h2>Sparse image input</h2>
 * {@link #of(String, byte[])} reads the format the fuzz tests' seeds use: a little-endian u32 page count
 * (taken modulo {@link #MAX_PAGES}, 0 meaning {@link #MAX_PAGES}), then records of a u32 page index (modulo the
 * count) and up to 4096 bytes of that page (a short last record fills the page's start). {@link #seed} writes
 * it.
 */
public final class FuzzMedium implements Medium {

    /** Bytes of a page. */
    public static final int PAGE = 4096;
    /** Largest image: 128 MiB (the largest Linux-made test image has 80). */
    public static final int MAX_PAGES = 1 << 15;
    /** Bytes an image's readers may move before it counts as unbounded work: 64 times the largest image. */
    public static final long DEFAULT_BUDGET = 64L * MAX_PAGES * PAGE;

    private final String name;
    private final long size;
    private final Map<Long, byte[]> pages;
    private final List<String> violations = new ArrayList<>();
    private final List<long[]> writes = new ArrayList<>();
    /** Where the first violation was attempted, for the finding's stack trace. */
    private Throwable firstViolation;
    private long budget = DEFAULT_BUDGET;
    private boolean recordWrites;
    private boolean closed;

    public FuzzMedium(String name, long size) {
        this(name, size, new HashMap<>());
    }

    private FuzzMedium(String name, long size, Map<Long, byte[]> pages) {
        if (size <= 0 || size % 8 != 0) {
            throw new IllegalArgumentException("size " + size);
        }
        this.name = name;
        this.size = size;
        this.pages = pages;
    }

    /** The image a sparse-image input describes. */
    public static FuzzMedium of(String name, byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            return new FuzzMedium(name, PAGE);
        }
        long count = Integer.toUnsignedLong(in.getInt()) % MAX_PAGES;
        long pageCount = count == 0 ? MAX_PAGES : count;
        FuzzMedium m = new FuzzMedium(name, pageCount * PAGE);
        while (in.remaining() >= 4) {
            long page = Integer.toUnsignedLong(in.getInt()) % pageCount;
            int n = Math.min(PAGE, in.remaining());
            byte[] bytes = m.page(page);
            in.get(bytes, 0, n);
        }
        return m;
    }

    /** A sparse-image input: {@code pageCount} pages, and the listed pages of {@code image}. */
    public static byte[] seed(Medium image, long start, long pageCount, long... pageOffsets) {
        ByteBuffer out = ByteBuffer.allocate(4 + pageOffsets.length * (4 + PAGE)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt((int) pageCount);
        byte[] page = new byte[PAGE];
        for (long offset : pageOffsets) {
            if (offset % PAGE != 0) {
                throw new IllegalArgumentException("offset " + offset + " is not page aligned");
            }
            image.read(start + offset, page);
            out.putInt((int) (offset / PAGE)).put(page);
        }
        return out.array();
    }

    /** A copy: the same bytes, no violations, a fresh budget. */
    public FuzzMedium copy() {
        Map<Long, byte[]> copied = new HashMap<>();
        pages.forEach((k, v) -> copied.put(k, v.clone()));
        return new FuzzMedium(name, size, copied);
    }

    /** The refused and over-budget accesses so far, each described. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Fails, naming each, when an access was refused or over budget. */
    public void assertNoViolations() {
        if (!violations.isEmpty()) {
            throw new AssertionError(name + ": a reader tried " + violations.size() + " access(es) outside the"
                    + " medium or its budget: " + violations, firstViolation);
        }
    }

    /** The clean error of the stack: an errno and a message; anything else propagates to the fuzzer. */
    public static void assertClean(NvdimmException e) {
        if (e.errno() == null || e.detail() == null || e.detail().isBlank()) {
            throw new AssertionError("an NvdimmException without errno or message", e);
        }
    }

    /** From now on, keeps the range ({@code {offset, length}}) of every store. */
    public void recordWrites() {
        recordWrites = true;
    }

    /** The stores recorded since {@link #recordWrites()}, in order. */
    public List<long[]> writes() {
        return List.copyOf(writes);
    }

    /** A medium of the pages of {@code [offset, offset + size)}, page aligned, copied. */
    public FuzzMedium part(String partName, long offset, long partSize) {
        if (offset % PAGE != 0 || partSize % PAGE != 0 || offset < 0 || offset > size - partSize) {
            throw new IllegalArgumentException(offset + " + " + partSize);
        }
        Map<Long, byte[]> copied = new HashMap<>();
        pages.forEach((k, v) -> {
            if (k * PAGE >= offset && k * PAGE < offset + partSize) {
                copied.put(k - offset / PAGE, v.clone());
            }
        });
        return new FuzzMedium(partName, partSize, copied);
    }

    /**
     * Makes the checksum of the info block at {@code offset} right, if one with the BTT signature fits there:
     * fuzz tests reseal where info blocks belong so that mutations reach what lies behind the checksum.
     */
    public void resealInfoBlock(long offset) {
        int size = nvdimm.btt.internal.format.InfoBlock.SIZE;
        if (offset < 0 || offset > this.size - size) {
            return;
        }
        byte[] block = new byte[size];
        copyOut(offset, block, 0, size);
        if (nvdimm.btt.internal.format.InfoBlock.hasSignature(block)) {
            ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putLong(
                    nvdimm.btt.internal.format.InfoBlock.CHECKSUM_OFFSET,
                    nvdimm.btt.internal.format.BttChecksum.of(block));
            copyIn(offset, block, 0, size);
        }
    }

    /** Sets how many more bytes its readers may move. */
    public void budget(long bytes) {
        budget = bytes;
    }

    private byte[] page(long index) {
        return pages.computeIfAbsent(index, k -> new byte[PAGE]);
    }

    private void check(String op, long offset, long len, int align) {
        String problem = null;
        Errno errno = Errno.ENXIO;
        if (closed) {
            problem = "closed";
        } else if (offset < 0 || len < 0) {
            problem = "negative offset or length";
            errno = Errno.EINVAL;
        } else if (offset % align != 0) {
            problem = "misaligned";
            errno = Errno.EINVAL;
        } else if (offset > size - len) {
            problem = "past the end of " + size + " bytes";
        } else if ((budget -= len) < 0) {
            problem = "over the budget of bytes moved";
            errno = Errno.EIO;
        }
        if (problem != null) {
            String what = name + ": " + op + " of " + len + " bytes at " + offset + ": " + problem;
            violations.add(what);
            if (firstViolation == null) {
                firstViolation = new Throwable("the first violation: " + what);
            }
            throw new NvdimmException(errno, what);
        }
    }

    private void copyOut(long offset, byte[] dst, int off, int len) {
        while (len > 0) {
            long page = offset / PAGE;
            int in = (int) (offset % PAGE);
            int n = Math.min(len, PAGE - in);
            byte[] bytes = pages.get(page);
            if (bytes == null) {
                java.util.Arrays.fill(dst, off, off + n, (byte) 0);
            } else {
                System.arraycopy(bytes, in, dst, off, n);
            }
            offset += n;
            off += n;
            len -= n;
        }
    }

    private void copyIn(long offset, byte[] src, int off, int len) {
        if (recordWrites) {
            writes.add(new long[] {offset, len});
        }
        while (len > 0) {
            long page = offset / PAGE;
            int in = (int) (offset % PAGE);
            int n = Math.min(len, PAGE - in);
            System.arraycopy(src, off, page(page), in, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Persistence persistence() {
        return Persistence.VOLATILE;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        if (off < 0 || len < 0 || off > dst.length - len) {
            throw new NvdimmException(Errno.EINVAL, name + ": array range " + off + " + " + len);
        }
        check("read", offset, len, 1);
        copyOut(offset, dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        if (off < 0 || len < 0 || off > src.length - len) {
            throw new NvdimmException(Errno.EINVAL, name + ": array range " + off + " + " + len);
        }
        check("write", offset, len, 1);
        copyIn(offset, src, off, len);
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        check("read", offset, dst.byteSize(), 1);
        byte[] b = new byte[(int) dst.byteSize()];
        copyOut(offset, b, 0, b.length);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, dst, 0, b.length);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        check("write", offset, src.byteSize(), 1);
        copyIn(offset, src.toArray(ValueLayout.JAVA_BYTE), 0, (int) src.byteSize());
    }

    @Override
    public int readInt(long offset) {
        check("readInt", offset, 4, 4);
        byte[] b = new byte[4];
        copyOut(offset, b, 0, 4);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Override
    public long readLong(long offset) {
        check("readLong", offset, 8, 8);
        byte[] b = new byte[8];
        copyOut(offset, b, 0, 8);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Override
    public void writeInt(long offset, int value) {
        check("writeInt", offset, 4, 4);
        copyIn(offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array(), 0, 4);
    }

    @Override
    public void writeLong(long offset, long value) {
        check("writeLong", offset, 8, 8);
        copyIn(offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), 0, 8);
    }

    @Override
    public void persist(long offset, long length) {
        check("persist", offset, 0, 1);
        if (length < 0 || offset > size - length) {
            check("persist", offset, length, 1);
        }
    }

    @Override
    public void drain() {
        check("drain", 0, 0, 1);
    }

    @Override
    public void sync() {
        check("sync", 0, 0, 1);
    }

    @Override
    public void close() {
        closed = true;
    }
}
