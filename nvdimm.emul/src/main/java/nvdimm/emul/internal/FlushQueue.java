package nvdimm.emul.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.FlushHandler;

/**
 * The region flushes of one bus, run off the caller's thread: each waits the bus's flush latency,
 * fails if a flush fault is set, and otherwise syncs the region's medium (a deep flush of every
 * DIMM it covers). Closing fails the flushes not yet done with {@code ENXIO}.
 */
final class FlushQueue {

    private final String provider;
    private final Faults faults;
    private final ScheduledThreadPoolExecutor executor;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    FlushQueue(String provider, Faults faults) {
        this.provider = provider;
        this.faults = faults;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "emul-flush " + provider);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    /** The flush handler of a region whose memory is {@code medium}. */
    FlushHandler handler(Medium medium) {
        return () -> flush(medium);
    }

    CompletionStage<Void> flush(Medium medium) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(done);
        try {
            executor.schedule(() -> run(done, medium), faults.flushLatency().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(done, gone()); // closed: a flush that starts after close never runs
        }
        return done.minimalCompletionStage();
    }

    private void run(CompletableFuture<Void> done, Medium medium) {
        try {
            faults.checkFlush();
            medium.sync();
            pending.remove(done);
            done.complete(null);
        } catch (NvdimmException e) {
            // close() interrupts a sync in progress: the caller's flush failed because the bus went away
            fail(done, e.errno() == Errno.EINTR && executor.isShutdown() ? gone(e) : e);
        } catch (RuntimeException | Error e) {
            fail(done, new NvdimmException(Errno.EIO, provider + ": flush of " + medium.name() + " failed", e));
        }
    }

    private void fail(CompletableFuture<Void> done, NvdimmException e) {
        pending.remove(done);
        done.completeExceptionally(e);
    }

    private NvdimmException gone() {
        return new NvdimmException(Errno.ENXIO, provider + ": the bus went away before the flush completed");
    }

    private NvdimmException gone(NvdimmException cause) {
        return new NvdimmException(Errno.ENXIO, provider + ": the bus went away before the flush completed", cause);
    }

    /**
     * Stops the flush thread and fails every flush not yet done. A flush racing with this is either
     * rejected by the stopped executor or still in {@code pending} here, so it fails either way.
     */
    void close() {
        executor.shutdownNow();
        for (CompletableFuture<Void> f : pending) {
            fail(f, gone());
        }
    }
}
