package nvdimm.bus.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * A medium on a memory segment owned by a shared arena: the argument checks, the accesses, and
 * closing. Subclasses say what {@code persist}, {@code drain} and {@code sync} do.
 *
 * <p>Closing closes the arena. The JDK makes that safe against racing accesses: it stops every
 * thread inside an access to the segment and fails that access with an
 * {@link IllegalStateException}, which this class reports as ENXIO. A fault while touching the
 * memory (a mapped file truncated behind our back, a poisoned page) reaches Java as an
 * {@link InternalError}; this class reports it as EIO when the JDK raises it inside the access
 * (it may also raise it a little later, in the caller, which no code here can intercept).
 *
 * <p>{@link #window} lends a range of the memory as a {@link SegmentWindow}: the same memory under
 * an arena of the window's own, so that closing the window stops its accesses the same way without
 * closing this medium. Closing this medium closes its windows first, before the memory goes.
 *
 * <p>Every caller of {@link #close()} returns only once the arena is closed: a second caller racing
 * with the first waits for it (the JDK's second {@code Arena.close} would fail at once, while the
 * first is still stopping the accesses). That wait takes no lock and waits for no lock: the first
 * caller's handshake with the accessing threads cannot be held up by a caller of {@code close}.
 */
public abstract class SegmentMedium implements Medium {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_HANDLE = INT.varHandle();
    private static final VarHandle LONG_HANDLE = LONG.varHandle();

    private final String name;
    private final long size;
    private final Arena arena;
    private final MemorySegment segment;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Counted down once the arena is closed and {@link #released()} has run. */
    private final CountDownLatch closeDone = new CountDownLatch(1);
    /** The open windows on this medium's memory; each removes itself when it closes. */
    private final Set<SegmentWindow> windows = ConcurrentHashMap.newKeySet();

    /**
     * @param name the name errors use
     * @param arena the shared arena that owns {@code segment}; {@link #close()} closes it
     * @param segment the memory, at least 8-byte aligned so aligned offsets are aligned addresses
     */
    protected SegmentMedium(String name, Arena arena, MemorySegment segment) {
        this.name = Objects.requireNonNull(name, "name");
        this.arena = Objects.requireNonNull(arena, "arena");
        this.segment = Objects.requireNonNull(segment, "segment");
        this.size = segment.byteSize();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final void read(long offset, byte[] dst, int off, int len) {
        Objects.requireNonNull(dst, "dst");
        Bounds.checkArray(name, dst.length, off, len);
        Bounds.checkRange(name, size, offset, len);
        try {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, dst, off, len);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, len);
        }
    }

    @Override
    public final void write(long offset, byte[] src, int off, int len) {
        Objects.requireNonNull(src, "src");
        Bounds.checkArray(name, src.length, off, len);
        Bounds.checkRange(name, size, offset, len);
        try {
            MemorySegment.copy(src, off, segment, ValueLayout.JAVA_BYTE, offset, len);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, len);
        }
    }

    @Override
    public final void read(long offset, MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new NvdimmException(Errno.EINVAL, name + ": cannot read into a read-only segment");
        }
        long len = dst.byteSize();
        Bounds.checkRange(name, size, offset, len);
        try {
            MemorySegment.copy(segment, offset, dst, 0, len);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, len);
        }
    }

    @Override
    public final void write(long offset, MemorySegment src) {
        Objects.requireNonNull(src, "src");
        long len = src.byteSize();
        Bounds.checkRange(name, size, offset, len);
        try {
            MemorySegment.copy(src, 0, segment, offset, len);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, len);
        }
    }

    @Override
    public final void read(long offset, MemorySegment dst, long dstOffset, long len) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new NvdimmException(Errno.EINVAL, name + ": cannot read into a read-only segment");
        }
        Bounds.checkSegment(name, dst, dstOffset, len);
        Bounds.checkRange(name, size, offset, len);
        try {
            MemorySegment.copy(segment, offset, dst, dstOffset, len);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, len);
        }
    }

    @Override
    public final void write(long offset, MemorySegment src, long srcOffset, long len) {
        Objects.requireNonNull(src, "src");
        Bounds.checkSegment(name, src, srcOffset, len);
        Bounds.checkRange(name, size, offset, len);
        try {
            MemorySegment.copy(src, srcOffset, segment, offset, len);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, len);
        }
    }

    @Override
    public final int readInt(long offset) {
        checkAtomic(offset, Integer.BYTES);
        try {
            return (int) INT_HANDLE.getAcquire(segment, offset);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, Integer.BYTES);
        }
    }

    @Override
    public final long readLong(long offset) {
        checkAtomic(offset, Long.BYTES);
        try {
            return (long) LONG_HANDLE.getAcquire(segment, offset);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, Long.BYTES);
        }
    }

    @Override
    public final void writeInt(long offset, int value) {
        checkAtomic(offset, Integer.BYTES);
        try {
            INT_HANDLE.setRelease(segment, offset, value);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, Integer.BYTES);
        }
    }

    @Override
    public final void writeLong(long offset, long value) {
        checkAtomic(offset, Long.BYTES);
        try {
            LONG_HANDLE.setRelease(segment, offset, value);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, Long.BYTES);
        }
    }

    @Override
    public final void persist(long offset, long length) {
        Bounds.checkRange(name, size, offset, length);
        checkOpen();
        try {
            persistRange(offset, length);
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, offset, length);
        }
    }

    @Override
    public final void sync() {
        checkOpen();
        try {
            syncAll();
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, 0, size);
        }
    }

    @Override
    public final void drain() {
        checkOpen();
        try {
            drainAll();
        } catch (IllegalStateException | InternalError e) {
            throw failure(e, 0, size);
        }
    }

    /**
     * A window on {@code [offset, offset + length)} of this medium's memory under an arena of its
     * own; see {@link Medium#window}.
     */
    @Override
    public final Optional<Medium> window(String windowName, long offset, long length) {
        Objects.requireNonNull(windowName, "windowName");
        Bounds.checkRange(name, size, offset, length);
        checkOpen();
        SegmentWindow window = SegmentWindow.open(windowName, this, offset, segment.asSlice(offset, length), Arena.ofShared());
        windows.add(window);
        // Closing sets the flag before it closes the windows it finds: either it finds this one, or
        // this check sees the flag (both sides' operations are sequentially consistent).
        if (closed.get()) {
            window.close();
            throw closedError(null);
        }
        return Optional.of(window);
    }

    /** Forgets a window that has closed. */
    final void windowClosed(SegmentWindow window) {
        windows.remove(window);
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitClose();
            return;
        }
        try {
            try {
                for (SegmentWindow window : windows) {
                    window.close();
                }
            } finally {
                arena.close();
            }
        } finally {
            try {
                released();
            } finally {
                closeDone.countDown();
            }
        }
    }

    /** Waits for the first caller of {@link #close()}; an interrupt does not end the wait, it is kept. */
    private void awaitClose() {
        boolean interrupted = false;
        while (true) {
            try {
                closeDone.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} has been called. */
    protected final boolean isClosed() {
        return closed.get();
    }

    /** The whole memory, for the persistence hooks. */
    protected final MemorySegment segment() {
        return segment;
    }

    /** The error for an access to a closed medium. */
    protected final NvdimmException closedError(Throwable cause) {
        return new NvdimmException(Errno.ENXIO, name + ": the medium is closed", cause);
    }

    /** Throws ENXIO when closed, for the paths that touch no memory and so get no exception from the JDK. */
    protected final void checkOpen() {
        if (closed.get()) {
            throw closedError(null);
        }
    }

    /**
     * Makes the stores to the range persistent; the range has been checked. An
     * {@link IllegalStateException} or {@link InternalError} thrown here is reported as for an access.
     */
    protected abstract void persistRange(long offset, long length);

    /** Writes everything back and drains it to stable storage; the medium was open when this was called. */
    protected abstract void syncAll();

    /** Drains what is persisted to stable storage, writing no cache back; the medium was open. */
    protected abstract void drainAll();

    /** Releases what the subclass holds besides the arena; called once, after the arena is closed. */
    protected void released() {
    }

    private void checkAtomic(long offset, int width) {
        Bounds.checkAligned(name, offset, width);
        Bounds.checkRange(name, size, offset, width);
    }

    /**
     * What an access that threw {@code e} reports: ENXIO once the medium is closed (the JDK's
     * "Already closed" from a racing {@link #close()}), EIO for a memory fault, and otherwise the
     * exception itself (an {@link IllegalStateException} about the caller's own segment).
     */
    private RuntimeException failure(Throwable e, long offset, long length) {
        if (closed.get()) {
            return closedError(e);
        }
        if (e instanceof InternalError) {
            return new NvdimmException(Errno.EIO, name + ": memory fault accessing offset " + offset + " + " + length
                    + " (the backing file shrank or the media failed)", e);
        }
        return (RuntimeException) e;
    }
}
