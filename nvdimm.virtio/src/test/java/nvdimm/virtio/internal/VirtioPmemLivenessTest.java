package nvdimm.virtio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.virtio.VirtioFault;
import nvdimm.virtio.internal.queue.QueueStats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole device under random faults: 64 threads flush through the region's flush handler (guest queue,
 * host workers, real forces of a file) while another thread injects and clears every fault the shell can.
 * Every thread returns with 0 or EIO; the books balance on both sides; nothing leaks; the validator (THROW)
 * reports nothing. The queue-level negative controls (a break that does not drain strands flushers) are in
 * {@code queue.FlushLivenessTest}.
 */
class VirtioPmemLivenessTest {

    private static final int THREADS = 64;

    @TempDir
    Path dir;

    @Test
    void sixtyFourFlushersUnderRandomInjectedFaultsAllReturnAndTheBooksBalance() throws Exception {
        List<LockdepReport> reports = new CopyOnWriteArrayList<>();
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, reports::add);
        VirtioPmemDevice device = VirtioPmemDevice.open(new VirtioSpec("test", "vp", dir.resolve("vp.img"), 1 << 20,
                16, 2), 1L << 40, lockdep);
        RegionDescriptor region = device.bus().regions().getFirst();
        AtomicLong ok = new AtomicLong();
        AtomicLong eio = new AtomicLong();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        List<Thread> flushers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        region.flushHandler().flush().toCompletableFuture().join();
                        ok.incrementAndGet();
                    } catch (java.util.concurrent.CompletionException e) {
                        if (e.getCause() instanceof NvdimmException n && n.errno() == Errno.EIO) {
                            eio.incrementAndGet();
                            LockSupport.parkNanos(200_000);
                        } else {
                            unexpected.add(String.valueOf(e.getCause()));
                            return;
                        }
                    }
                }
            }, "flusher-" + i);
            t.setDaemon(true);
            flushers.add(t);
            t.start();
        }
        Random random = new Random(0x7e57L);
        List<VirtioFault> injected = new ArrayList<>();
        while (System.nanoTime() < end) {
            VirtioFault f = VirtioFault.values()[random.nextInt(VirtioFault.values().length)];
            device.inject(f, random.nextInt(3), 1 + random.nextInt(4));
            injected.add(f);
            Thread.sleep(random.nextInt(20));
            if (random.nextInt(3) == 0) {
                device.clear();
            }
        }
        device.clear(); // a silent host answers, a broken queue is reset: whoever still waits returns
        for (Thread t : flushers) {
            t.join(TimeUnit.SECONDS.toMillis(60)); // hang guard
            assertFalse(t.isAlive(), t.getName() + " never returned");
        }
        QueueStats s = device.queue().stats();
        System.out.printf("virtio liveness: ok=%d eio=%d faults=%d forces=%d %s%n", ok.get(), eio.get(),
                injected.size(), device.host().forces(), s);
        assertTrue(unexpected.isEmpty(), () -> "errors other than EIO: " + unexpected);
        assertEquals(s.submitted(), s.completed() + s.failed(), s::toString);
        assertEquals(0, s.doubleCompletions(), s::toString);
        assertEquals(0, s.lifetimeViolations(), s::toString);
        assertEquals(s.poolCapacity(), s.poolAvailable(), () -> "requests leaked: " + s);
        assertEquals(s.completed(), ok.get(), "each host success reached exactly one caller");
        assertTrue(ok.get() > 0 && eio.get() > 0, "both outcomes happened: ok " + ok + ", eio " + eio);
        assertTrue(injected.containsAll(List.of(VirtioFault.values())), "every fault was injected: " + injected);
        device.close();
        assertEquals(device.host().submitted(), device.host().acknowledged() + device.host().failed(),
                "the host answered every request once");
        assertTrue(reports.isEmpty(), () -> "lockdep: " + reports);
    }
}
