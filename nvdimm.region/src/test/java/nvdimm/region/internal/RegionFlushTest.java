package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.testing.CrashPoint;
import nvdimm.bus.testing.MediumEvent;
import nvdimm.bus.testing.RecordingMedium;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport.Kind;
import nvdimm.lockdep.Mutex;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegionFlushTest {
    static final long SIZE = 8192;

    final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    final RecordingMedium medium = new RecordingMedium("region0.medium", SIZE);

    @AfterEach
    void close() {
        medium.close();
    }

    RegionFlush flush(FlushHandler handler) {
        return flush(handler, PersistenceDomain.MEMORY_CONTROLLER);
    }

    RegionFlush flush(FlushHandler handler, PersistenceDomain domain) {
        return new RegionFlush("region0", medium, handler, domain, lockdep);
    }

    /** A handler that completes each flush with what {@link #outcome} says, counting calls. */
    static final class Handler implements FlushHandler {
        final AtomicInteger calls = new AtomicInteger();
        volatile Throwable outcome;

        @Override
        public CompletionStage<Void> flush() {
            calls.incrementAndGet();
            Throwable t = outcome;
            return t == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(t);
        }
    }

    @Test
    void theGenericFlushOnlyDrainsThePersistenceDomain() {
        medium.write(100, new byte[] {1, 2, 3});
        medium.clearLog();
        flush(null).flush();
        assertEquals(List.of(new MediumEvent.Drain()), medium.log(), "no persist barrier, no write back");
        assertEquals(1, medium.pendingWords(), "a flush does not persist what the writer did not");
    }

    /** Linux's nvdimm_flush drains; a store its writer never persisted is not made durable by it. */
    @Test
    void aStoreNeverPersistedStillHasCrashImagesWithoutItAfterARegionFlush() {
        medium.writeLong(64, 0x1234L); // the writer forgot its barrier
        flush(null).flush();
        CrashPoint after = medium.crashPoint();
        try (var persisted = after.noneApplied()) {
            assertEquals(0L, persisted.readLong(64), "the flush made an unpersisted store durable");
        }
        assertEquals(2, after.imageCount());
    }

    @Test
    void theGenericAsyncFlushRunsOnTheCallerAndIsAlreadyComplete() {
        CompletionStage<Void> s = flush(null).flushAsync();
        assertTrue(s.toCompletableFuture().isDone());
        assertNull(s.toCompletableFuture().join());
        assertEquals(List.of(new MediumEvent.Drain()), medium.log());
    }

    @Test
    void theProvidersHandlerReplacesTheGenericFlush() {
        Handler h = new Handler();
        RegionFlush f = flush(h);
        f.flush();
        f.flushAsync().toCompletableFuture().join();
        assertEquals(2, h.calls.get());
        assertEquals(List.of(), medium.log(), "the medium is not touched when the provider flushes");
    }

    @ParameterizedTest
    @EnumSource(value = Errno.class, names = {"ENOMEM", "EIO", "ENOSPC", "ENXIO"})
    void aProviderErrnoComesBackUnchanged(Errno errno) {
        Handler h = new Handler();
        NvdimmException failure = new NvdimmException(errno, "virtio-pmem: child flush bio allocation failed");
        h.outcome = failure;
        RegionFlush f = flush(h);
        NvdimmException sync = assertThrows(NvdimmException.class, f::flush);
        assertEquals(errno, sync.errno(), "the provider's errno, not EIO");
        assertSame(failure, sync.getCause());
        assertEquals("region0: flush: virtio-pmem: child flush bio allocation failed (" + errno + ")",
                sync.getMessage());
        CompletionException async = assertThrows(CompletionException.class, () -> f.flushAsync().toCompletableFuture().join());
        assertEquals(errno, assertInstanceOf(NvdimmException.class, async.getCause()).errno());
        assertSame(failure, async.getCause().getCause());
    }

    @Test
    void aProviderFailureWrappedInACompletionExceptionIsUnwrapped() {
        Handler h = new Handler();
        NvdimmException failure = new NvdimmException(Errno.ENOMEM, "virtio-pmem: no memory");
        h.outcome = new CompletionException(failure);
        assertSame(failure, assertThrows(NvdimmException.class, flush(h)::flush).getCause());
    }

    @Test
    void aProviderFailureWrappedInAnExecutionExceptionIsUnwrappedToo() {
        Handler h = new Handler();
        NvdimmException failure = new NvdimmException(Errno.ENOSPC, "host: fsync: no space");
        h.outcome = new java.util.concurrent.ExecutionException(failure);
        assertSame(failure, assertThrows(NvdimmException.class, flush(h)::flush).getCause());
        CompletionException empty = new CompletionException("no cause", null);
        h.outcome = empty;
        NvdimmException e = assertThrows(NvdimmException.class, flush(h)::flush);
        assertEquals(Errno.EIO, e.errno());
        assertSame(empty, e.getCause(), "a wrapper without a cause is itself the failure");
    }

    @Test
    void aFailureWithoutAnErrnoBecomesEioWithItAsTheCause() {
        Handler h = new Handler();
        IllegalStateException boom = new IllegalStateException("queue broken");
        h.outcome = boom;
        NvdimmException e = assertThrows(NvdimmException.class, flush(h)::flush);
        assertEquals(Errno.EIO, e.errno());
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().startsWith("region0: flush: the provider's flush failed"), e.getMessage());
    }

    @Test
    void aHandlerThatThrowsAtOnceIsTreatedAsAFailedFlush() {
        NvdimmException failure = new NvdimmException(Errno.ENOMEM, "virtio-pmem: no request slot");
        FlushHandler throwing = () -> {
            throw failure;
        };
        RegionFlush f = flush(throwing);
        NvdimmException sync = assertThrows(NvdimmException.class, f::flush);
        assertEquals(Errno.ENOMEM, sync.errno());
        assertSame(failure, sync.getCause());
        CompletionStage<Void> s = f.flushAsync(); // never throws
        assertSame(failure, assertThrows(CompletionException.class, () -> s.toCompletableFuture().join()).getCause()
                .getCause());
        FlushHandler runtime = () -> {
            throw new UnsupportedOperationException("no");
        };
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, flush(runtime)::flush).errno());
    }

    @Test
    void aHandlerReturningNoStageIsEio() {
        NvdimmException e = assertThrows(NvdimmException.class, flush(() -> null)::flush);
        assertEquals(Errno.EIO, e.errno());
        assertEquals("region0: flush: the provider's flush handler returned no completion (EIO)", e.getMessage());
    }

    @Test
    void theGenericFlushPassesTheMediumsErrnoThrough() {
        medium.close();
        NvdimmException e = assertThrows(NvdimmException.class, flush(null)::flush);
        assertEquals(Errno.ENXIO, e.errno());
        CompletionException async = assertThrows(CompletionException.class,
                () -> flush(null).flushAsync().toCompletableFuture().join());
        assertEquals(Errno.ENXIO, assertInstanceOf(NvdimmException.class, async.getCause()).errno());
    }

    @Test
    void theBlockingFlushWaitsForTheProvidersAcknowledgement() throws Exception {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        RegionFlush f = flush(() -> ack);
        CountDownLatch returned = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                f.flush();
            } catch (Throwable e) {
                failure.set(e);
            }
            returned.countDown();
        });
        t.start();
        assertFalse(returned.await(100, TimeUnit.MILLISECONDS), "returned before the host acknowledged");
        ack.complete(null);
        assertTrue(returned.await(5, TimeUnit.SECONDS));
        assertNull(failure.get());
    }

    @Test
    void theAsyncFormCompletesFromTheProviderAndCannotBeCompletedByTheCaller() {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        CompletionStage<Void> s = flush(() -> ack).flushAsync();
        CompletableFuture<Void> view = s.toCompletableFuture();
        assertFalse(view.isDone());
        view.complete(null); // a copy: the region's flush is not done by this
        NvdimmException failure = new NvdimmException(Errno.ENOMEM, "host: no memory");
        ack.completeExceptionally(failure);
        assertSame(failure, assertThrows(CompletionException.class,
                () -> s.toCompletableFuture().join()).getCause().getCause());
    }

    /**
     * A lane holder interrupted while its flush is in flight keeps waiting (Linux's uninterruptible
     * wait_event in virtio_pmem_flush): returning early would let it release the lane and reuse the
     * lane's free block before the host made the earlier stores durable. The interrupt is set again once
     * the flush has ended.
     */
    @Test
    void anInterruptedLaneHolderWaitsForTheFlushInFlightThenKeepsTheInterrupt() throws Exception {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        CountDownLatch inFlight = new CountDownLatch(1);
        RegionFlush f = flush(() -> {
            inFlight.countDown();
            return ack;
        });
        RegionLocks.register(lockdep);
        MutexLanePool lanes = new MutexLanePool("region0", lockdep, 1, nvdimm.region.LanePolicy.HASH);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            int lane = lanes.acquire();
            try {
                f.flush();
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                interruptedAfter.set(Thread.currentThread().isInterrupted());
                lanes.release(lane);
                returned.countDown();
            }
        });
        t.start();
        assertTrue(inFlight.await(5, TimeUnit.SECONDS));
        t.interrupt();
        assertFalse(returned.await(200, TimeUnit.MILLISECONDS), "the waiter left a flush in flight");
        assertNull(failure.get());
        ack.complete(null);
        assertTrue(returned.await(5, TimeUnit.SECONDS));
        assertNull(failure.get(), "the flush succeeded: no EINTR");
        assertTrue(interruptedAfter.get(), "the interrupt is restored");
    }

    @Test
    void aThreadInterruptedBeforeTheFlushStillFlushesAndKeepsTheInterrupt() {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        RegionFlush f = flush(() -> {
            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(() -> ack.complete(null));
            return ack;
        });
        Thread.currentThread().interrupt();
        try {
            f.flush();
            assertTrue(ack.isDone());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptedWaiterGetsTheProvidersFailureNotEintr() {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        RegionFlush f = flush(() -> {
            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)
                    .execute(() -> ack.completeExceptionally(new NvdimmException(Errno.EIO, "virtio-pmem: broken")));
            return ack;
        });
        Thread.currentThread().interrupt();
        try {
            assertEquals(Errno.EIO, assertThrows(NvdimmException.class, f::flush).errno());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * A provider that coalesces waiters (one host request for many) hands them one failure. Each waiter
     * gets an exception of its own, with the provider's errno and the provider's failure as the cause:
     * one object thrown from many threads would mix their stack traces and suppressed exceptions.
     */
    @Test
    void aFailureSharedByManyWaitersIsWrappedForEachKeepingItsErrno() throws Exception {
        NvdimmException shared = new NvdimmException(Errno.ENOMEM, "virtio-pmem: no request memory");
        CompletableFuture<Void> one = new CompletableFuture<>();
        RegionFlush f = flush(() -> one);
        int waiters = 4;
        List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(waiters);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    f.flush();
                } catch (Throwable e) {
                    thrown.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        one.completeExceptionally(shared);
        for (Thread t : threads) {
            t.join(5000);
        }
        assertEquals(waiters, thrown.size());
        assertEquals(waiters, thrown.stream().map(System::identityHashCode).distinct().count(), "one exception each");
        for (Throwable e : thrown) {
            NvdimmException n = assertInstanceOf(NvdimmException.class, e);
            assertNotSame(shared, n);
            assertEquals(Errno.ENOMEM, n.errno());
            assertSame(shared, n.getCause());
            assertEquals("region0: flush: virtio-pmem: no request memory (ENOMEM)", n.getMessage());
        }
        CompletionException a1 = assertThrows(CompletionException.class,
                () -> f.flushAsync().toCompletableFuture().join());
        CompletionException a2 = assertThrows(CompletionException.class,
                () -> f.flushAsync().toCompletableFuture().join());
        assertNotSame(a1.getCause(), a2.getCause(), "the async form gives each caller its own failure too");
        assertEquals(Errno.ENOMEM, assertInstanceOf(NvdimmException.class, a1.getCause()).errno());
        assertSame(shared, a1.getCause().getCause());
    }

    @Test
    void flushMightSleepSoAnAtomicLockHeldIsReported() {
        LockClass spin = LockClass.of("test.spin", LockClass.Flag.ATOMIC);
        lockdep.register(spin);
        Mutex s = lockdep.newMutex(spin);
        s.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, flush(new Handler())::flush);
            assertEquals(Kind.SLEEP_IN_ATOMIC, e.report().kind());
            LockdepException g = assertThrows(LockdepException.class, flush(null)::flush);
            assertEquals(Kind.SLEEP_IN_ATOMIC, g.report().kind());
            LockdepException a = assertThrows(LockdepException.class, flush(null)::flushAsync);
            assertEquals(Kind.SLEEP_IN_ATOMIC, a.report().kind(), "the generic flush runs on the caller: it may sleep");
            LockdepException h = assertThrows(LockdepException.class, flush(new Handler())::flushAsync);
            assertEquals(Kind.SLEEP_IN_ATOMIC, h.report().kind(),
                    "a provider's handler may block (virtio-pmem waits for a free descriptor)");
        } finally {
            s.unlock();
        }
        assertEquals(List.of(), medium.log(), "nothing flushed under the atomic lock");
    }

    @Test
    void deepFlushIsNeededWithAHandlerOrShortOfTheCpuCaches() {
        assertTrue(flush(new Handler(), PersistenceDomain.CPU_CACHE).deepFlushNeeded());
        assertTrue(flush(null, PersistenceDomain.MEMORY_CONTROLLER).deepFlushNeeded());
        assertTrue(flush(null, PersistenceDomain.UNKNOWN).deepFlushNeeded());
        assertFalse(flush(null, PersistenceDomain.CPU_CACHE).deepFlushNeeded());
    }
}
