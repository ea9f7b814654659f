package nvdimm.btt.internal.engine;

import java.lang.foreign.MemorySegment;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A big medium made of a base (a sparse file holding a formatted multi-arena BTT) and windows laid over it,
 * whose bytes live in one small medium, back to back: the windows are what a workload may change (info
 * blocks, logs, the map pages and data blocks it touches), so a {@link nvdimm.bus.testing.RecordingMedium}
 * of their size can record a workload on a BTT over 512 GiB, and each crash image of it, spliced over the same
 * base, is a whole namespace again. Reads outside the windows come from the base; a write outside them fails
 * with EIO (the windows missed something). Barriers go to the windows' medium.
 */
final class SplicedMedium implements Medium {

    private final String name;
    private final Medium base;
    private final Medium windows;
    /** Window starts and ends on the big medium, ascending and disjoint, and where each starts in the windows' medium. */
    private final long[] start;
    private final long[] end;
    private final long[] at;

    SplicedMedium(String name, Medium base, Medium windows, long[] start, long[] end) {
        this.name = name;
        this.base = base;
        this.windows = windows;
        this.start = start.clone();
        this.end = end.clone();
        this.at = new long[start.length];
        long next = 0;
        for (int i = 0; i < start.length; i++) {
            at[i] = next;
            next += end[i] - start[i];
        }
        if (next != windows.size()) {
            throw new IllegalArgumentException("windows of " + next + " bytes over a medium of " + windows.size());
        }
    }

    /** The bytes the windows need: their total length. */
    static long windowBytes(long[] start, long[] end) {
        long total = 0;
        for (int i = 0; i < start.length; i++) {
            total += end[i] - start[i];
        }
        return total;
    }

    /** Copies the windows' bytes from {@code base} into {@code windows}. */
    static void copyWindows(Medium base, Medium windows, long[] start, long[] end) {
        long next = 0;
        for (int i = 0; i < start.length; i++) {
            byte[] b = new byte[Math.toIntExact(end[i] - start[i])];
            base.read(start[i], b);
            windows.write(next, b);
            next += b.length;
        }
    }

    /** The window holding {@code offset}, or -(the next window's index) - 1. */
    private int window(long offset) {
        int lo = 0;
        int hi = start.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] <= offset) {
                lo = mid + 1;
            } else if (start[mid] > offset) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** A piece of an access: in window {@code w} (or the base when negative), {@code length} bytes. */
    private interface Piece {
        void run(int w, long offset, long pieceOffset, long length);
    }

    private void pieces(long offset, long length, Piece piece) {
        long done = 0;
        while (done < length) {
            long off = offset + done;
            int w = window(off);
            long n;
            if (w >= 0) {
                n = Math.min(length - done, end[w] - off);
                piece.run(w, at[w] + off - start[w], done, n);
            } else {
                int next = -w - 1;
                n = Math.min(length - done, (next < start.length ? start[next] : Long.MAX_VALUE) - off);
                piece.run(-1, off, done, n);
            }
            done += n;
        }
    }

    private long single(long offset, int length, boolean write) {
        int w = window(offset);
        if (w >= 0 && offset + length <= end[w]) {
            return at[w] + offset - start[w];
        }
        if (w < 0 && !write) {
            return -1;
        }
        throw new NvdimmException(Errno.EIO, name + ": a " + length + "-byte " + (write ? "write" : "read") + " at "
                + offset + " is outside the recorded windows");
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
        return windows.persistence();
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        read(offset, MemorySegment.ofArray(dst).asSlice(off, len));
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        write(offset, MemorySegment.ofArray(src).asSlice(off, len));
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        pieces(offset, dst.byteSize(), (w, off, done, n) -> (w >= 0 ? windows : base).read(off, dst.asSlice(done, n)));
    }

    @Override
    public void write(long offset, MemorySegment src) {
        pieces(offset, src.byteSize(), (w, off, done, n) -> {
            if (w < 0) {
                throw new NvdimmException(Errno.EIO, name + ": a write of " + n + " bytes at " + off
                        + " is outside the recorded windows");
            }
            windows.write(off, src.asSlice(done, n));
        });
    }

    @Override
    public int readInt(long offset) {
        long w = single(offset, Integer.BYTES, false);
        return w < 0 ? base.readInt(offset) : windows.readInt(w);
    }

    @Override
    public long readLong(long offset) {
        long w = single(offset, Long.BYTES, false);
        return w < 0 ? base.readLong(offset) : windows.readLong(w);
    }

    @Override
    public void writeInt(long offset, int value) {
        windows.writeInt(single(offset, Integer.BYTES, true), value);
    }

    @Override
    public void writeLong(long offset, long value) {
        windows.writeLong(single(offset, Long.BYTES, true), value);
    }

    @Override
    public void persist(long offset, long length) {
        pieces(offset, length, (w, off, done, n) -> {
            if (w >= 0) {
                windows.persist(off, n);
            }
        });
    }

    @Override
    public void drain() {
        windows.drain();
    }

    @Override
    public void sync() {
        windows.sync();
    }

    /** The base and the windows' medium stay their owners'. */
    @Override
    public void close() {
    }
}
