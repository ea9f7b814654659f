package nvdimm.emul.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import nvdimm.lockdep.WaitPoint;

/**
 * Counts the accesses in flight through a medium so that closing it can refuse new ones and wait
 * for the rest, without a lock or an allocation on the access path (Linux's {@code percpu_ref}
 * with kill and wait, in small form).
 *
 * <p>The count is striped over cache-line-padded cells, one picked by the thread's id, so threads
 * doing I/O through one region do not fight over one word. An access adds one to its cell, then
 * reads the closed flag; closing sets the flag, then waits until every cell is zero. Both sides'
 * operations are volatile, so either the access sees the flag (and takes its one back) or the
 * closer sees the access's one and waits for it.
 */
final class InFlight {

    /** Longs per cell: 128 bytes, two cache lines, so neighbours never share a line. */
    private static final int STRIDE = 16;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(InFlight.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] cells;
    private final int mask;
    private final WaitPoint closeWait;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;

    /** @param closeWait validates the wait of {@link #close()} */
    InFlight(WaitPoint closeWait) {
        this.closeWait = closeWait;
        int count = Integer.highestOneBit(Math.min(64, Math.max(1, Runtime.getRuntime().availableProcessors() * 2)) * 2 - 1);
        this.cells = new long[(count + 1) * STRIDE]; // the first stride pads the array header
        this.mask = count - 1;
    }

    /** Counts an access in: returns its cell for {@link #exit(int)}, or -1 (counting nothing) once closed. */
    int enter() {
        int cell = (((int) Thread.currentThread().threadId() * 0x9E3779B9 >>> 16) & mask) * STRIDE + STRIDE;
        CELL.getAndAdd(cells, cell, 1L);
        if ((boolean) CLOSED.getVolatile(this)) {
            CELL.getAndAdd(cells, cell, -1L);
            return -1;
        }
        return cell;
    }

    /** Counts out the access {@link #enter()} counted in at {@code cell}. */
    void exit(int cell) {
        CELL.getAndAdd(cells, cell, -1L);
    }

    boolean isClosed() {
        return (boolean) CLOSED.getVolatile(this);
    }

    /**
     * Refuses new accesses, then waits, polling, until none is in flight. Idempotent; every caller
     * returns only when no access is in flight. An interrupt does not end the wait; it is kept.
     */
    void close() {
        CLOSED.setVolatile(this, true);
        if (idle()) {
            return;
        }
        closeWait.beforeWait();
        boolean interrupted = false;
        while (!idle()) {
            LockSupport.parkNanos(this, POLL_NANOS);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether no access is in flight now. */
    boolean idle() {
        for (int cell = STRIDE; cell < cells.length; cell += STRIDE) {
            if ((long) CELL.getVolatile(cells, cell) != 0) {
                return false;
            }
        }
        return true;
    }
}
