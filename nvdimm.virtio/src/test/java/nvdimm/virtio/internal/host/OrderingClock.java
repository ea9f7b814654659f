package nvdimm.virtio.internal.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import nvdimm.bus.NvdimmException;

/**
 * The ordering proof's instruments: one global sequence; a forcer that stamps each force's start on it
 * (and remembers it on the worker thread, which answers the batch); requests that stamp their
 * submission before submitting and record the start of the force that acknowledged them. "No flush is
 * acknowledged before a force that began after it" is then: ack force start &gt; submission stamp.
 */
final class OrderingClock {
    final AtomicLong clock = new AtomicLong();
    private final ThreadLocal<long[]> lastForceStart = ThreadLocal.withInitial(() -> new long[1]);

    /** A forcer that stamps starts; the first {@code blockFirst} forces wait for {@link #release}. */
    final class StampingForcer implements Forcer {
        final AtomicInteger forces = new AtomicInteger();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release;
        volatile IOException failWith;

        StampingForcer(boolean blockFirst) {
            this.release = new CountDownLatch(blockFirst ? 1 : 0);
        }

        @Override
        public void force() throws IOException {
            long start = clock.incrementAndGet();
            lastForceStart.get()[0] = start;
            int n = forces.incrementAndGet();
            if (n == 1) {
                firstStarted.countDown();
                awaitOrFail(release);
            }
            IOException e = failWith;
            if (e != null) {
                throw e;
            }
        }
    }

    /** A request that records everything about its one answer. */
    final class Probe implements HostRequest {
        final long submittedAt;
        final AtomicInteger answers = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        volatile int status = -1;
        volatile NvdimmException failure;
        volatile long ackForceStart;

        Probe() {
            this.submittedAt = clock.incrementAndGet();
        }

        @Override
        public void hostDone(int status, NvdimmException failure) {
            this.ackForceStart = lastForceStart.get()[0];
            this.status = status;
            this.failure = failure;
            answers.incrementAndGet();
            done.countDown();
        }

        void await() {
            awaitOrFail(done);
        }
    }

    /** The acknowledged probes whose acknowledging force did not start after their submission. */
    static List<String> orderingViolations(List<Probe> probes) {
        List<String> bad = new ArrayList<>();
        for (Probe p : probes) {
            if (p.status == 0 && p.ackForceStart <= p.submittedAt) {
                bad.add("submitted at " + p.submittedAt + ", acknowledged by the force started at " + p.ackForceStart);
            }
        }
        return bad;
    }

    static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("nothing happened within 30 s (a hang)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
