package nvdimm.emul.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.emul.FaultInjector;
import nvdimm.lockdep.Lockdep;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlushTest {

    private final Lockdep lockdep = Fixtures.lockdep();
    private List<CountingMedium> media;
    private EmulBus bus;
    private FlushHandler flush;

    /** One 2-way region over two counting media. */
    @BeforeEach
    void setUp() {
        media = List.of(new CountingMedium("a", 65536), new CountingMedium("b", 65536));
        List<EmulDimm> dimms = List.of(
                new EmulDimm(Identity.nfitTest("emul.f", 0, 65536, 0), media.get(0), 65536, null, lockdep),
                new EmulDimm(Identity.nfitTest("emul.f", 1, 65536, 0), media.get(1), 65536, null, lockdep));
        bus = new EmulBus("emul.f", dimms, List.of(new EmulBus.RegionPlan(List.of(0, 1), 4096)), 0, 4096, lockdep,
                System::nanoTime);
        flush = bus.regions().getFirst().flushHandler();
    }

    @AfterEach
    void tearDown() {
        media.forEach(m -> m.syncFailure = null);
        bus.close();
    }

    private static CompletableFuture<Void> future(CompletionStage<Void> stage) {
        return stage.toCompletableFuture();
    }

    private static NvdimmException failure(CompletionStage<Void> stage) {
        CompletionException e = assertThrows(CompletionException.class,
                () -> future(stage).orTimeout(10, TimeUnit.SECONDS).join());
        return assertInstanceOf(NvdimmException.class, e.getCause());
    }

    @Test
    void aFlushSyncsEveryDimmOfTheRegion() {
        assertNull(future(flush.flush()).orTimeout(10, TimeUnit.SECONDS).join());
        assertEquals(1, media.get(0).syncs.get());
        assertEquals(1, media.get(1).syncs.get());
    }

    @Test
    void flushesRunOnADaemonThreadNamedForTheBus() {
        java.util.concurrent.atomic.AtomicReference<Thread> runner = new java.util.concurrent.atomic.AtomicReference<>();
        media.get(0).onSync = () -> runner.set(Thread.currentThread());
        future(flush.flush()).orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(runner.get().isDaemon(), "a flush thread must not keep the JVM alive");
        assertEquals("emul-flush emul.f", runner.get().getName());
    }

    @Test
    void anInjectedFlushFailureReachesTheCallerWithItsErrnoAndSkipsTheSync() {
        bus.faults().failFlush(Errno.ENOMEM, 1);
        NvdimmException e = failure(flush.flush());
        assertEquals(Errno.ENOMEM, e.errno(), "ENOMEM stays ENOMEM");
        assertEquals("emul.f: flush: injected failure (ENOMEM)", e.getMessage());
        assertEquals(0, media.get(0).syncs.get());
        future(flush.flush()).orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(1, media.get(0).syncs.get());

        bus.faults().failFlush(Errno.EIO, FaultInjector.UNTIL_CLEARED);
        for (int i = 0; i < 3; i++) {
            assertEquals(Errno.EIO, failure(flush.flush()).errno());
        }
        bus.faults().clear();
        future(flush.flush()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aFlushTakesTheInjectedLatencyWithoutBlockingTheCaller() {
        bus.faults().flushLatency(Duration.ofMillis(300));
        long start = System.nanoTime();
        CompletionStage<Void> stage = flush.flush();
        assertFalse(future(stage).isDone(), "the caller does not wait for the latency");
        future(stage).orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "took at least the latency");
        assertEquals(1, media.get(0).syncs.get());
    }

    @Test
    void aFailingSyncPassesItsErrnoThrough() {
        media.get(1).syncFailure = new NvdimmException(Errno.ENOSPC, "b: no space");
        assertEquals(Errno.ENOSPC, failure(flush.flush()).errno());
        media.get(1).syncFailure = new IllegalStateException("something else");
        NvdimmException e = failure(flush.flush());
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("emul.f: flush of emul.f/region0 failed"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void closingFailsPendingFlushesAndLaterOnes() {
        bus.faults().flushLatency(Duration.ofSeconds(30));
        CompletionStage<Void> pending = flush.flush();
        bus.close();
        NvdimmException e = failure(pending);
        assertEquals(Errno.ENXIO, e.errno());
        assertTrue(e.getMessage().contains("emul.f: the bus went away before the flush completed"));
        assertEquals(Errno.ENXIO, failure(flush.flush()).errno());
        setUp(); // a fresh bus for tearDown to close
    }

    @Test
    void callersCannotCompleteTheProvidersStage() {
        bus.faults().flushLatency(Duration.ofMillis(200));
        CompletionStage<Void> stage = flush.flush();
        assertThrows(UnsupportedOperationException.class, () -> ((CompletableFuture<Void>) stage).complete(null));
        future(stage).orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(1, media.get(0).syncs.get());
    }
}
