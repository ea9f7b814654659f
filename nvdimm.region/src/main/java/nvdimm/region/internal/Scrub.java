package nvdimm.region.internal;

import java.time.Duration;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ScrubStatus;

/** Waiting for address range scrub: ARS Status polled with a growing pause (1 to 50 ms). */
final class Scrub {
    static final long FIRST_PAUSE_NANOS = 1_000_000;
    static final long MAX_PAUSE_NANOS = 50_000_000;

    private Scrub() {
    }

    /**
     * Polls the bus until no scrub runs and returns that status.
     *
     * @param who what the messages name
     * @param timeout how long to wait, or {@code null} for as long as it takes
     * @throws NvdimmException ETIMEDOUT, EINTR (the interrupt flag stays set), the provider's errors
     */
    static ScrubStatus awaitIdle(NvdimmBus bus, String who, Duration timeout) {
        long start = System.nanoTime();
        long limit = timeout == null ? Long.MAX_VALUE : Math.max(0, timeout.toNanos());
        long pause = FIRST_PAUSE_NANOS;
        for (;;) {
            ScrubStatus s = bus.scrubStatus();
            if (!s.active()) {
                return s;
            }
            long left = limit - (System.nanoTime() - start);
            if (left <= 0) {
                throw new NvdimmException(Errno.ETIMEDOUT, who + ": the scrub of " + bus.name()
                        + " is still running after " + timeout.toMillis() + " ms");
            }
            try {
                long nanos = Math.min(pause, left);
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NvdimmException(Errno.EINTR, who + ": interrupted while waiting for the scrub of "
                        + bus.name(), e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
