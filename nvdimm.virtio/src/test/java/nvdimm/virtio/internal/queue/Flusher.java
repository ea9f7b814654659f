package nvdimm.virtio.internal.queue;

import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** One thread doing one flush; {@link #outcome()} is null for success or the errno it failed with. */
final class Flusher extends Thread {
    private final VirtioPmemQueue queue;
    private volatile Errno outcome;
    private volatile boolean returned;

    Flusher(VirtioPmemQueue queue, String name) {
        super(name);
        this.queue = queue;
        setDaemon(true);
    }

    static Flusher start(VirtioPmemQueue queue, String name) {
        Flusher f = new Flusher(queue, name);
        f.start();
        return f;
    }

    @Override
    public void run() {
        try {
            queue.flush();
        } catch (NvdimmException e) {
            outcome = e.errno();
        } finally {
            returned = true;
        }
    }

    /** Joins; a hang guard only (a generous bound), never a timing assertion. */
    Errno finish() throws InterruptedException {
        join(TimeUnit.SECONDS.toMillis(20));
        if (!returned) {
            throw new AssertionError(getName() + " did not return");
        }
        return outcome;
    }

    boolean returned() {
        return returned;
    }

    Errno outcome() {
        return outcome;
    }

    /** Spins until {@code condition} holds; a hang guard bounds it. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Waits until the thread is parked (in a wait of the queue). */
    void awaitBlocked() throws InterruptedException {
        await(getName() + " blocked", () -> {
            State s = getState();
            return s == State.WAITING || s == State.TIMED_WAITING;
        });
    }
}
