package nvdimm.virtio.internal.queue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One flush request: the out buffer is implicit (type FLUSH), the in buffer is {@link #hostStatus}.
 * Pooled: made once by {@link RequestPool}, reused. Reference counted (patch 5/7): the submitter holds
 * one reference from {@link RequestPool#take()}, the queue a second one from a successful add until the
 * interrupt side (or the drain) is done with it; the last drop returns it to the pool.
 *
 * <p>The wait flags are read without the lock by the waiters' fast paths and written under
 * {@code pmem_lock}, so they are volatile (patch 4/7). {@code hostStatus} and {@code drained} are
 * written before {@code done} is published and read after it is seen.
 */
final class FlushRequest {
    final int id;
    /** The thread that took the request: unparked on completion and on "descriptor available". */
    private volatile Thread submitter;
    final AtomicInteger refs = new AtomicInteger();

    private volatile boolean done;
    private volatile boolean bufAvail;
    private volatile boolean free = true;
    /** Written by the device through the ring before it reports the buffer used. */
    volatile int hostStatus;
    /** Completed by the broken-queue drain: the answer is EIO whatever the host wrote. */
    private boolean drained;
    /** Completions in the current use; more than one is a bug the queue counts. Under pmem_lock. */
    int completions;

    FlushRequest(int id) {
        this.id = id;
    }

    /** Called by the pool when it hands the request out: one reference, the submitter's. */
    void reinit(Thread owner) {
        submitter = owner;
        hostStatus = 0;
        drained = false;
        completions = 0;
        bufAvail = false;
        done = false;
        refs.set(1);
        free = false;
    }

    Thread submitter() {
        return submitter;
    }

    boolean isDone() {
        return done;
    }

    /** Publishes the outcome; the writes before it are visible to whoever sees {@code done}. */
    void markDone(boolean byDrain) {
        drained = byDrain;
        done = true;
    }

    boolean drained() {
        return drained;
    }

    boolean bufAvail() {
        return bufAvail;
    }

    void setBufAvail(boolean value) {
        bufAvail = value;
    }

    boolean isFree() {
        return free;
    }

    void setFree() {
        free = true;
    }

    @Override
    public String toString() {
        return "flush request " + id;
    }
}
