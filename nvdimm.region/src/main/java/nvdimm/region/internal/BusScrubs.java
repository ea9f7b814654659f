package nvdimm.region.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;

/**
 * Background scrubs of whole buses ({@code ndctl start-scrub}): one thread per bus that scrubs the bus's
 * regions in turn (a provider runs one scrub at a time) and adds each result to the badblocks of the
 * enabled regions. The last job of a bus is kept until someone waited for it, so its failure is
 * reported once.
 */
final class BusScrubs {
    /** How often a start refused with EBUSY (someone else's scrub) is retried after that scrub ended. */
    static final int START_ATTEMPTS = 3;

    private final Function<NvdimmBus, List<RegionBinding>> enabledRegions;
    private final ConcurrentHashMap<NvdimmBus, Job> jobs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BusScrubs(Function<NvdimmBus, List<RegionBinding>> enabledRegions) {
        this.enabledRegions = enabledRegions;
    }

    private final class Job implements Runnable {
        final NvdimmBus bus;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Thread thread;

        Job(NvdimmBus bus) {
            this.bus = bus;
        }

        @Override
        public void run() {
            try {
                for (RegionDescriptor d : bus.regionDescriptors()) {
                    startOne(d);
                    ScrubStatus s = Scrub.awaitIdle(bus, bus.name(), null);
                    addResults(bus, s);
                }
                done.complete(null);
            } catch (NvdimmException e) {
                done.completeExceptionally(e);
            } catch (RuntimeException e) {
                done.completeExceptionally(new NvdimmException(Errno.EIO, bus.name() + ": scrub failed: " + e, e));
            } finally {
                if (!done.isDone()) { // an Error: waiters must not hang
                    done.completeExceptionally(new NvdimmException(Errno.EIO, bus.name() + ": scrub thread died"));
                }
            }
        }

        private void startOne(RegionDescriptor d) {
            for (int attempt = 1;; attempt++) {
                try {
                    bus.startScrub(d.address(), d.size());
                    return;
                } catch (NvdimmException e) {
                    if (e.errno() != Errno.EBUSY || attempt == START_ATTEMPTS) {
                        throw e;
                    }
                }
                Scrub.awaitIdle(bus, bus.name(), null); // someone else's scrub: let it end, then retry
            }
        }
    }

    /** Starts a background scrub of the bus. */
    void start(NvdimmBus bus) {
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, bus.name() + ": start-scrub: the region driver is stopping");
        }
        Job job = new Job(bus);
        jobs.compute(bus, (b, old) -> {
            if (old != null && !old.done.isDone()) {
                throw new NvdimmException(Errno.EBUSY, bus.name() + ": start-scrub: the bus is being scrubbed already");
            }
            return job;
        });
        Thread t = Thread.ofPlatform().daemon().name("nvdimm-scrub-" + bus.name()).unstarted(job);
        job.thread = t;
        t.start();
        if (closed) {
            t.interrupt();
        }
    }

    /** Waits for the bus's background scrub, or for any scrub of the bus, and adds the results. */
    void await(NvdimmBus bus, Duration timeout) {
        Job job = jobs.get(bus);
        if (job == null) {
            addResults(bus, Scrub.awaitIdle(bus, bus.name(), timeout));
            return;
        }
        try {
            job.done.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new NvdimmException(Errno.ETIMEDOUT, bus.name() + ": wait-scrub: the scrub is still running after "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NvdimmException(Errno.EINTR, bus.name() + ": wait-scrub: interrupted", e);
        } catch (ExecutionException e) {
            jobs.remove(bus, job);
            throw (NvdimmException) e.getCause();
        }
        jobs.remove(bus, job);
    }

    private void addResults(NvdimmBus bus, ScrubStatus s) {
        for (RegionBinding r : enabledRegions.apply(bus)) {
            r.addScrubRecords(s.records());
        }
    }

    /** Interrupts every running job (they end with EINTR) and forgets them all. */
    void close() {
        closed = true;
        for (Job job : jobs.values()) {
            Thread t = job.thread;
            if (t != null) {
                t.interrupt();
            }
        }
        jobs.clear();
    }
}
