package nvdimm.virtio.internal.host;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults injected into one host (a faults object belongs to the one host made with it): from tests now, from the shell later. Plain volatile and atomic state;
 * the host it belongs to is told of every change so that a silenced host starts answering at once when
 * cleared.
 */
public final class HostFaults {
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile long delayMillis;
    private volatile long lateMillis;
    private volatile boolean silent;
    private volatile Runnable changed = () -> { };
    private final AtomicReference<String> host = new AtomicReference<>();

    /** The next {@code count} flushes the host would acknowledge fail with {@code EIO} instead. */
    public void failNext(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("fail-flush count " + count + " is negative");
        }
        failNext.set(count);
        changed.run();
    }

    /** Each force starts {@code millis} later (a slow host disk). */
    public void delay(long millis) {
        delayMillis = checkMillis("delay", millis);
        changed.run();
    }

    /** Answers reach the guest {@code millis} after their force ended (a slow completion path). */
    public void late(long millis) {
        lateMillis = checkMillis("late", millis);
        changed.run();
    }

    /** While silent the host forces nothing and answers nothing; requests wait, or fail on close. */
    public void silent(boolean on) {
        silent = on;
        changed.run();
    }

    /** Clears every fault; a silenced host answers its waiting requests. */
    public void clear() {
        failNext.set(0);
        delayMillis = 0;
        lateMillis = 0;
        silent = false;
        changed.run();
    }

    public int failuresLeft() {
        return failNext.get();
    }

    public long delayMillis() {
        return delayMillis;
    }

    public long lateMillis() {
        return lateMillis;
    }

    public boolean silent() {
        return silent;
    }

    /** Takes one injected failure if any is left. */
    boolean takeFailure() {
        for (;;) {
            int left = failNext.get();
            if (left == 0) {
                return false;
            }
            if (failNext.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    /** Binds these faults to {@code owner}, told of every change; one host per faults object. */
    void attach(String owner, Runnable listener) {
        if (!host.compareAndSet(null, owner)) {
            throw new IllegalStateException("these faults already belong to " + host.get() + ", not also to "
                    + owner);
        }
        changed = listener;
    }

    private static long checkMillis(String fault, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException(fault + " of " + millis + " ms is negative");
        }
        return millis;
    }
}
