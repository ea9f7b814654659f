package nvdimm.virtio.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.Errno;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.virtio.internal.host.OrderingClock.Probe;
import nvdimm.virtio.internal.host.OrderingClock.StampingForcer;
import org.junit.jupiter.api.Test;

/**
 * 64 flushers for a bounded time. Nothing here asserts a timing: the checks are that every submission is
 * answered exactly once, every acknowledgement follows its submission in the global order (the check
 * {@link HostCoalescingTest#theOrderingCheckCatchesAHostThatJoinsTheRunningForce} shows to catch a host
 * that joins a running force), and the counters add up. The forces per flush ratio is printed.
 */
class HostConcurrencyTest {
    private static final int FLUSHERS = 64;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);
    private final OrderingClock clock = new OrderingClock();

    private List<Probe> run(HostBackend host, AtomicBoolean stop, Runnable whileRunning) throws Exception {
        ConcurrentLinkedQueue<Probe> all = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(FLUSHERS);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < FLUSHERS; i++) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!stop.get()) {
                        Probe p = clock.new Probe();
                        all.add(p);
                        host.submit(p);
                        p.await();
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        whileRunning.run();
        stop.set(true);
        OrderingClock.awaitOrFail(done);
        for (Thread t : threads) {
            t.join();
        }
        return new ArrayList<>(all);
    }

    private static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    @Test
    void sixtyFourFlushersAreEachAnsweredOnceAfterTheirSubmission() throws Exception {
        StampingForcer forcer = clock.new StampingForcer(false);
        AtomicBoolean stop = new AtomicBoolean();
        List<Probe> probes;
        HostBackend host = new HostBackend("s0", () -> {
            forcer.force();
            LockSupport.parkNanos(100_000); // about a fast disk's flush

        }, 1, 128, new HostFaults(), lockdep);
        try (host) {
            probes = run(host, stop, () -> sleepNanos(RUN_NANOS));
        }
        for (Probe p : probes) {
            assertEquals(1, p.answers.get(), "answered exactly once");
            assertEquals(0, p.status);
        }
        assertEquals(List.of(), OrderingClock.orderingViolations(probes));
        assertEquals(probes.size(), host.submitted());
        assertEquals(probes.size(), host.acknowledged());
        assertTrue(host.forces() <= probes.size());
        assertEquals(host.forces(), forcer.forces.get());
        System.out.printf("HostConcurrencyTest: %d flushes, %d forces, %.3f forces per flush%n", probes.size(),
                host.forces(), (double) host.forces() / probes.size());
        assertTrue(lockdep.reports().isEmpty(), () -> "lockdep: " + lockdep.reports());
    }

    @Test
    void underRandomFaultsAndACloseMidRunEveryFlusherReturns() throws Exception {
        StampingForcer forcer = clock.new StampingForcer(false);
        HostFaults faults = new HostFaults();
        AtomicBoolean stop = new AtomicBoolean();
        HostBackend host = new HostBackend("s1", forcer, 2, 128, faults, lockdep);
        SplittableRandom random = new SplittableRandom(13);
        List<Probe> probes = run(host, stop, () -> {
            long end = System.nanoTime() + RUN_NANOS;
            while (System.nanoTime() < end) {
                switch (random.nextInt(5)) {
                    case 0 -> faults.failNext(random.nextInt(1, 8));
                    case 1 -> faults.delay(random.nextInt(0, 3));
                    case 2 -> faults.late(random.nextInt(0, 3));
                    case 3 -> faults.silent(random.nextBoolean());
                    default -> faults.clear();
                }
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(1, 10)));
            }
            faults.silent(true);
            host.close(); // with flushers still submitting: they must all come back
        });
        long ok = 0;
        long failed = 0;
        for (Probe p : probes) {
            assertEquals(1, p.answers.get(), "answered exactly once");
            if (p.status == 0) {
                ok++;
            } else {
                assertEquals(HostBackend.FAILED, p.status);
                assertEquals(Errno.EIO, p.failure.errno());
                failed++;
            }
        }
        assertEquals(List.of(), OrderingClock.orderingViolations(probes));
        assertEquals(probes.size(), host.submitted());
        assertEquals(host.submitted(), host.acknowledged() + host.failed());
        assertEquals(ok, host.acknowledged());
        assertEquals(failed, host.failed());
        assertTrue(failed > 0, "the host was closed while flushers ran: some flushes failed");
        assertTrue(lockdep.reports().isEmpty(), () -> "lockdep: " + lockdep.reports());
    }
}
