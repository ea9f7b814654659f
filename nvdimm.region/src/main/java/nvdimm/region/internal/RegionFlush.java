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
 * stores, so a missing barrier stays visible to a crash explorer. A provider's errno reaches the caller
 * unchanged; only a failure without an errno becomes EIO.
 *
 * <p>The handler may block (virtio-pmem waits for a free descriptor) and callers may hold a lane, so both
 * forms say they may sleep, and the blocking form waits uninterruptibly for a flush in flight, as Linux's
 * {@code wait_event} does: a waiter that left early could release its lane and reuse the lane's free
 * block before the host made the earlier stores durable. An interrupt is kept and set again afterwards.
 */
final class RegionFlush {
    private final String region;
    private final Medium medium;
    private final FlushHandler handler;
    private final PersistenceDomain domain;
    private final Lockdep lockdep;

    RegionFlush(String region, Medium medium, FlushHandler handler, PersistenceDomain domain,
            Lockdep lockdep) {
        this.region = Objects.requireNonNull(region, "region");
        this.medium = Objects.requireNonNull(medium, "medium");
        this.handler = handler;
        this.domain = Objects.requireNonNull(domain, "domain");
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
    }

    /** Flushes and waits, uninterruptibly; may sleep. */
    void flush() {
        lockdep.mightSleep();
        if (handler == null) {
            generic();
            return;
        }
        CompletableFuture<Void> done = start();
        try {
            done.join(); // uninterruptible; keeps the interrupt status
        } catch (CompletionException e) {
            throw forWaiter(e.getCause() == null ? e : e.getCause());
        }
    }

    /** Starts a flush; may sleep (the generic flush runs here, a handler may block); never throws. */
    CompletionStage<Void> flushAsync() {
        lockdep.mightSleep();
        if (handler == null) {
            try {
                generic();
                return CompletableFuture.<Void>completedFuture(null).minimalCompletionStage();
            } catch (NvdimmException e) {
                return CompletableFuture.<Void>failedFuture(e).minimalCompletionStage();
            }
        }
        return start().exceptionallyCompose(t -> CompletableFuture.failedFuture(
                forWaiter(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t)))
                .minimalCompletionStage();
    }

    /** sysfs deep_flush: a flush handler, or a persistence domain short of the CPU caches. */
    boolean deepFlushNeeded() {
        return handler != null || domain != PersistenceDomain.CPU_CACHE;
    }

    private void generic() {
        medium.drain();
    }

    /**
     * Calls the handler; the result completes with null or with the provider's failure as it came (one
     * object that a provider coalescing waiters may hand to all of them), unwrapped.
     */
    private CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletionStage<Void> stage;
        try {
            stage = handler.flush();
        } catch (RuntimeException e) {
            done.completeExceptionally(unwrap(e));
            return done;
        }
        if (stage == null) {
            done.completeExceptionally(new NvdimmException(Errno.EIO,
                    "the provider's flush handler returned no completion"));
            return done;
        }
        stage.whenComplete((v, t) -> {
            if (t == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(unwrap(t));
            }
        });
        return done;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The failure one waiter sees, made for it: the provider's errno (EIO when it has none) with the
     * provider's failure as the cause. Never the provider's object itself, which other waiters of the
     * same flush get too: one exception thrown from many threads mixes their stack traces and
     * suppressed exceptions.
     */
    private NvdimmException forWaiter(Throwable failure) {
        if (failure instanceof NvdimmException e) {
            return new NvdimmException(e.errno(), region + ": flush: " + e.detail(), e);
        }
        return new NvdimmException(Errno.EIO, region + ": flush: the provider's flush failed: " + failure, failure);
    }
}
