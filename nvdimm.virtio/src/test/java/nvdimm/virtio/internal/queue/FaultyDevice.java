package nvdimm.virtio.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A device thread answering with random faults: success, failure status, delay, a late answer after
 * the queue broke (to the old ring), an explicit break followed by a restore; and random kick failures.
 */
final class FaultyDevice implements VirtioDevice, Runnable {
    private record Pending(SplitRing ring, int head, int dueRound) {
    }

    VirtioPmemQueue queue;
    private final SplittableRandom random;
    private final List<Pending> pending = new ArrayList<>();
    private volatile boolean stop;
    final AtomicLong kickFailures = new AtomicLong();
    long breaks;
    long lateAnswers;
    long refusedAnswers;
    private int round;
    private int restoreAtRound = -1;

    FaultyDevice(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public boolean notify(SplitRing ring) {
        if (ThreadLocalRandom.current().nextInt(1000) < 3) {
            kickFailures.incrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public void reset(SplitRing ring) {
        // the model keeps its pending answers: they become late answers to a ring that is gone
    }

    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        while (!stop) {
            round++;
            if (round == restoreAtRound) {
                queue.restore();
                restoreAtRound = -1;
            }
            SplitRing ring = queue.ring();
            int head;
            while ((head = ring.popAvailable()) >= 0) {
                int delay = random.nextInt(100) < 20 ? 1 + random.nextInt(20) : 0;
                pending.add(new Pending(ring, head, round + delay));
            }
            boolean answered = false;
            for (int i = pending.size() - 1; i >= 0; i--) {
                Pending p = pending.get(i);
                if (p.dueRound() > round) {
                    continue;
                }
                pending.remove(i);
                int status = random.nextInt(100) < 10 ? 1 : 0;
                if (p.ring() != queue.ring() || p.ring().isBroken()) {
                    lateAnswers++;
                }
                if (!p.ring().pushUsed(p.head(), status)) {
                    refusedAnswers++;
                }
                answered = true;
            }
            if (answered) {
                queue.interrupt();
            }
            if (restoreAtRound < 0 && (round % 500 == 250 || random.nextInt(2000) == 0)) { // at least every 500 rounds
                breaks++;
                queue.markBroken();
            }
            if (restoreAtRound < 0 && queue.isBroken()) { // broken by us or by a failed kick: reset later
                restoreAtRound = round + 1 + random.nextInt(10);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }
}
