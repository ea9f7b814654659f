package nvdimm.virtio.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;

/**
 * Liveness under random faults: 64 threads flush for a bounded time against a {@link FaultyDevice}.
 * Every thread returns having seen only success or EIO; the ring's accounting balances, nothing is
 * completed twice, no request leaks from the pool or is touched after recycling. Negative control: the
 * same run where a break does not drain strands threads.
 */
class FlushLivenessTest {
    private static final int THREADS = 64;
    private static final int QUEUE_SIZE = 16;

    private record Run(VirtioPmemQueue queue, List<LockdepReport> reports, FaultyDevice device,
            List<Thread> flushers, AtomicLong ok, AtomicLong eio, ConcurrentLinkedQueue<String> unexpected,
            Thread deviceThread) {
    }

    private static Run start(Protections protections, long seed, long millis) {
        List<LockdepReport> reports = new CopyOnWriteArrayList<>();
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, reports::add);
        QueueLocks.register(lockdep);
        FaultyDevice device = new FaultyDevice(seed);
        // a request can outlive its submitter by the queue's reference, at most one per descriptor
        VirtioPmemQueue queue = new VirtioPmemQueue("virtio-pmem0", lockdep, device, QUEUE_SIZE, THREADS + QUEUE_SIZE,
                protections);
        device.queue = queue;
        Thread deviceThread = new Thread(device, "virtio-pmem0 device");
        deviceThread.setDaemon(true);
        deviceThread.start();
        AtomicLong ok = new AtomicLong();
        AtomicLong eio = new AtomicLong();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Thread> flushers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        queue.flush();
                        ok.incrementAndGet();
                    } catch (NvdimmException e) {
                        if (e.errno() == Errno.EIO) {
                            eio.incrementAndGet();
                            LockSupport.parkNanos(200_000); // a caller backs off; spinning would starve the device
                        } else {
                            unexpected.add(e.getMessage());
                            return;
                        }
                    }
                }
            }, "flusher-" + i);
            t.setDaemon(true);
            flushers.add(t);
            t.start();
        }
        return new Run(queue, reports, device, flushers, ok, eio, unexpected, deviceThread);
    }

    @Test
    void sixtyFourFlushersUnderRandomFaultsAllReturnAndTheBooksBalance() throws Exception {
        Run run = start(Protections.SERIES_2026, 0x5eedL, 2_000);
        for (Thread t : run.flushers()) {
            t.join(TimeUnit.SECONDS.toMillis(60)); // hang guard
            assertTrue(!t.isAlive(), t.getName() + " never returned");
        }
        run.device().stop();
        run.deviceThread().join();
        VirtioPmemQueue queue = run.queue();
        QueueStats s = queue.stats();
        assertTrue(run.unexpected().isEmpty(), () -> "errors other than EIO: " + run.unexpected());
        assertEquals(s.submitted(), s.completed() + s.failed(), s::toString);
        assertEquals(0, s.doubleCompletions(), s::toString);
        assertEquals(0, s.lifetimeViolations(), s::toString);
        assertEquals(s.poolCapacity(), s.poolAvailable(), () -> "requests leaked: " + s);
        assertEquals(0, s.spaceWaiters());
        assertEquals(s.completed(), run.ok().get(), "each host success reached exactly one caller");
        assertTrue(run.ok().get() > 0, "some flushes succeeded");
        assertTrue(run.eio().get() > 0, "some flushes failed");
        assertTrue(s.spaceWakeups() > 0, "the ring was full at times");
        FaultyDevice d = run.device();
        System.out.printf("liveness: ok=%d eio=%d breaks=%d kickFailures=%d late=%d refused=%d %s%n", run.ok().get(),
                run.eio().get(), d.breaks, d.kickFailures.get(), d.lateAnswers, d.refusedAnswers, s);
        assertTrue(d.breaks > 0 && d.kickFailures.get() > 0 && d.lateAnswers > 0, "every kind of fault happened");
        assertTrue(run.reports().isEmpty(), () -> "lockdep: " + run.reports());
    }

    @Test
    void negativeControlBreakWithoutDrainStrandsFlushers() throws Exception {
        Run run = start(Doubles.NO_DRAIN, 0x5eedL, 1_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : run.flushers()) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        long stranded = run.flushers().stream().filter(Thread::isAlive).count();
        assertTrue(stranded > 0, "without the drain some flusher sleeps forever");
        for (Thread t : run.flushers()) {
            t.interrupt(); // clean-up: EINTR
        }
        for (Thread t : run.flushers()) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
        run.device().stop();
        run.deviceThread().join();
    }
}
