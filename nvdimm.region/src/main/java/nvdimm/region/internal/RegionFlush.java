package nvdimm.region.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.lockdep.Lockdep;

/**
 * A region's flush (Linux's {@code nvdimm_flush} after patch 1/7 of the 2026 virtio-pmem series): the
 * provider's flush handler if there is one, else the generic flush, a drain of the medium's persistence
 * domain ({@link Medium#drain()}): like Linux it writes no cache back, since writers persist their own
 * stores, so a missing barrier stays visible to a crash explorer. A provider's error reaches the caller as it was
 * thrown, the same exception with the same errno; only a failure without an errno becomes EIO.
 */
final class RegionFlush {
    private final String region;
    private final Medium medium;
    private final long size;
    private final FlushHandler handler;
    private final PersistenceDomain domain;
    private final Lockdep lockdep;

    RegionFlush(String region, Medium medium, long size, FlushHandler handler, PersistenceDomain domain,
            Lockdep lockdep) {
        this.region = Objects.requireNonNull(region, "region");
        this.medium = Objects.requireNonNull(medium, "medium");
        this.size = size;
        this.handler = handler;
        this.domain = Objects.requireNonNull(domain, "domain");
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
    }

    /** Flushes and waits; may sleep. */
    void flush() {
        lockdep.mightSleep();
        if (handler == null) {
            generic();
            return;
        }
        CompletableFuture<Void> done = start();
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NvdimmException(Errno.EINTR, region + ": flush: interrupted while waiting for the provider", e);
        } catch (ExecutionException e) {
            throw (NvdimmException) e.getCause(); // start() completes only with NvdimmExceptions
        }
    }

    /** Starts a flush; never throws. */
    CompletionStage<Void> flushAsync() {
        if (handler == null) {
            try {
                lockdep.mightSleep();
                generic();
                return CompletableFuture.<Void>completedFuture(null).minimalCompletionStage();
            } catch (NvdimmException e) {
                return CompletableFuture.<Void>failedFuture(e).minimalCompletionStage();
            }
        }
        return start().minimalCompletionStage();
    }

    /** sysfs deep_flush: a flush handler, or a persistence domain short of the CPU caches. */
    boolean deepFlushNeeded() {
        return handler != null || domain != PersistenceDomain.CPU_CACHE;
    }

    private void generic() {
        medium.drain();
    }

    /** Calls the handler; the result completes with null or with an NvdimmException. */
    private CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletionStage<Void> stage;
        try {
            stage = handler.flush();
        } catch (RuntimeException e) {
            done.completeExceptionally(errno(e));
            return done;
        }
        if (stage == null) {
            done.completeExceptionally(new NvdimmException(Errno.EIO, region
                    + ": flush: the provider's flush handler returned no completion"));
            return done;
        }
        stage.whenComplete((v, t) -> {
            if (t == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(errno(t));
            }
        });
        return done;
    }

    /** The provider's NvdimmException itself; anything else as EIO with it as the cause. */
    private NvdimmException errno(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NvdimmException e) {
            return e;
        }
        return new NvdimmException(Errno.EIO, region + ": flush: the provider's flush failed: " + cause, cause);
    }
}
