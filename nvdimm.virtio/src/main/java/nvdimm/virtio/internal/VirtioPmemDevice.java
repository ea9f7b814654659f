package nvdimm.virtio.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.FlushHandler;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Lockdep;
import nvdimm.virtio.VirtioConfig;
import nvdimm.virtio.VirtioFault;
import nvdimm.virtio.VirtioPmem;
import nvdimm.virtio.VirtioStatus;
import nvdimm.virtio.internal.host.Forcer;
import nvdimm.virtio.internal.host.HostBackend;
import nvdimm.virtio.internal.host.HostFaults;
import nvdimm.virtio.internal.queue.QueueLocks;
import nvdimm.virtio.internal.queue.QueueStats;
import nvdimm.virtio.internal.queue.VirtioPmemQueue;

/**
 * One virtio-pmem device ({@code virtio_pmem_probe}): the backing file mapped as the region's memory, a
 * host backend forcing that file, the guest queue between them, and the bus it shows as (provider
 * {@value VirtioConfig#PROVIDER}, one region, no DIMMs, so its namespace is label-less).
 *
 * <p>The region's flush is the guest's {@code virtio_pmem_flush}: it sleeps until the host answers. The
 * host forces the file with {@code fsync} semantics ({@link FileChannel#force}), which on Linux also writes
 * back the pages stored through the mapping, as QEMU's {@code fsync} of its memory-backend file does.
 */
final class VirtioPmemDevice implements VirtioPmem {

    /** Flushers beyond the queue's descriptors that may hold a request at once before one gets ENOMEM. */
    static final int EXTRA_REQUESTS = 1024;
    private static final long PAGE = 4096;
    private static final long COMPAT_ALIGN = 16L << 20;
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final VirtioSpec spec;
    private final Medium medium;
    private final FileChannel channel;
    private final HostBackend host;
    private final HostLink link;
    private final VirtioPmemQueue queue;
    private final RegionDescriptor region;
    private final BusProvider bus;
    private volatile boolean closed;
    private final AtomicInteger callers = new AtomicInteger();

    private VirtioPmemDevice(VirtioSpec spec, long address, Medium medium, FileChannel channel, Lockdep lockdep,
            boolean answersPerRing) {
        this.spec = spec;
        this.medium = medium;
        this.channel = channel;
        this.host = new HostBackend(spec.name(), Forcer.of(channel), spec.hostThreads(), spec.queueSize(),
                new HostFaults(), lockdep);
        this.link = new HostLink(host, answersPerRing);
        this.queue = new VirtioPmemQueue(spec.name(), lockdep, link, spec.queueSize(),
                spec.queueSize() + EXTRA_REQUESTS);
        link.attach(queue);
        FlushHandler flush = this::flush;
        this.region = new RegionDescriptor(address, spec.size(), List.of(), 1, 0, align(spec.size()),
                PersistenceDomain.UNKNOWN, medium, flush);
        this.bus = new VirtioBus(List.of(region), new NoCommands(spec.name()));
    }

    /**
     * Opens the backing file (creating it sparse, and missing folders, if needed) and starts the host. A
     * file of another size is refused before anything is touched; a failure on the way closes what was
     * opened and removes what this call created.
     *
     * @param address the region's place in the system physical address space
     */
    static VirtioPmemDevice open(VirtioSpec spec, long address, Lockdep lockdep) {
        return open(spec, address, lockdep, true);
    }

    /** {@link #open(VirtioSpec, long, Lockdep)}; {@code answersPerRing} false only for a test's negative control. */
    static VirtioPmemDevice open(VirtioSpec spec, long address, Lockdep lockdep, boolean answersPerRing) {
        QueueLocks.register(lockdep);
        Path file = spec.path();
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (exists) {
            checkExisting(spec, file);
        }
        List<Path> created = new ArrayList<>();
        Medium medium = null;
        FileChannel channel = null;
        try {
            if (!exists) {
                createFolders(spec, file.getParent(), created);
                created.addFirst(file); // before mapping: a map that fails half-way may leave it
            }
            medium = exists ? Media.mapFile(file, spec.size()) : Media.mapFile(file, spec.size(), MapOption.CREATE);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new VirtioPmemDevice(spec, address, medium, channel, lockdep, answersPerRing);
        } catch (IOException e) {
            NvdimmException failure = new NvdimmException(errnoOf(e), spec.source() + ": " + VirtioConfig.PATH
                    + ": cannot open " + file + " for the host: " + e, e);
            undo(medium, channel, created, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            undo(medium, channel, created, e);
            throw e;
        }
    }

    private static void checkExisting(VirtioSpec spec, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NvdimmException(Errno.EINVAL, spec.source() + ": " + VirtioConfig.PATH + ": " + file
                    + " exists and is not a regular file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new NvdimmException(errnoOf(e), spec.source() + ": " + VirtioConfig.PATH
                    + ": cannot read the size of " + file + ": " + e, e);
        }
        if (size != spec.size()) {
            throw new NvdimmException(Errno.EINVAL, spec.source() + ": " + VirtioConfig.SIZE + ": " + file + " has "
                    + size + " bytes, but the configuration says " + spec.size()
                    + "; restore the configuration or move the file away");
        }
    }

    private static void createFolders(VirtioSpec spec, Path folder, List<Path> created) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.exists(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            created.addFirst(p); // innermost first, for undo
        }
    }

    private static void undo(Medium medium, FileChannel channel, List<Path> created, Throwable failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        if (medium != null) {
            medium.close();
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static Errno errnoOf(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> Errno.ENOENT;
            case java.nio.file.AccessDeniedException x -> Errno.EACCES;
            case java.nio.file.FileAlreadyExistsException x -> Errno.EEXIST;
            case java.nio.file.FileSystemException x when x.getReason() != null ->
                    Errno.ofStrerror(x.getReason()).orElse(Errno.EIO);
            default -> Errno.ofStrerror(String.valueOf(e.getMessage())).orElse(Errno.EIO);
        };
    }

    /** The largest power of two up to 16 MiB dividing the size: the region is one namespace, whole. */
    static long align(long size) {
        return Math.min(COMPAT_ALIGN, Math.max(PAGE, Long.lowestOneBit(size)));
    }

    /**
     * The region's flush: the guest's virtio_pmem_flush, on the caller's thread. Callers are counted so that
     * the device's close returns only once none is left inside it: the bundle's lock classes go with it.
     */
    private CompletionStage<Void> flush() {
        callers.incrementAndGet();
        try {
            queue.flush();
            return DONE;
        } catch (NvdimmException e) {
            return CompletableFuture.failedStage(e);
        } finally {
            callers.decrementAndGet();
        }
    }

    /** After the freeze every caller returns promptly (EIO); waits until the last has left. */
    private void awaitCallersGone() {
        while (callers.get() > 0) {
            LockSupport.parkNanos(100_000);
        }
    }

    VirtioSpec spec() {
        return spec;
    }

    VirtioPmemQueue queue() {
        return queue;
    }

    HostBackend host() {
        return host;
    }

    Medium medium() {
        return medium;
    }

    /**
     * The bus the device shows as. A separate object: its {@code name()} is the provider string every
     * virtio-pmem bus shares, where the device's own {@link #name()} is its configuration's name.
     */
    BusProvider bus() {
        return bus;
    }

    @Override
    public String name() {
        return spec.name();
    }

    // VirtioPmem: the shell's view

    @Override
    public VirtioStatus status() {
        QueueStats q = queue.stats();
        HostFaults f = host.faults();
        List<String> faults = new ArrayList<>();
        if (f.failuresLeft() > 0) {
            faults.add(VirtioFault.FAIL_FLUSH + " --count " + f.failuresLeft());
        }
        if (f.delayMillis() > 0) {
            faults.add(VirtioFault.DELAY + " " + f.delayMillis());
        }
        if (link.kickFailuresLeft() > 0) {
            faults.add(VirtioFault.KICK_FAIL + " --count " + link.kickFailuresLeft());
        }
        if (f.lateMillis() > 0) {
            faults.add(VirtioFault.LATE + " " + f.lateMillis());
        }
        if (f.silent()) {
            faults.add(VirtioFault.SILENT.toString());
        }
        return new VirtioStatus(spec.name(), spec.path(), spec.size(), q.queueSize(), q.inFlight(), q.spaceWaiters(),
                q.broken(), q.poolCapacity(), q.poolAvailable(), q.submitted(), q.completed(), q.failed(),
                host.forces(), spec.hostThreads(), faults);
    }

    @Override
    public void inject(VirtioFault fault, long millis, int count) {
        checkOpen();
        if (fault.takesMillis() && millis < 0) {
            throw new NvdimmException(Errno.EINVAL, spec.name() + ": " + fault + ": " + millis + " ms is negative");
        }
        if ((fault == VirtioFault.FAIL_FLUSH || fault == VirtioFault.KICK_FAIL) && count < 1) {
            throw new NvdimmException(Errno.EINVAL, spec.name() + ": " + fault + ": count " + count
                    + " is not at least 1");
        }
        switch (fault) {
            case FAIL_FLUSH -> host.faults().failNext(count);
            case DELAY -> host.faults().delay(millis);
            case KICK_FAIL -> link.failKicks(count);
            case BREAK -> queue.markBroken();
            case LATE -> host.faults().late(millis);
            case SILENT -> host.faults().silent(true);
        }
    }

    @Override
    public void clear() {
        checkOpen();
        link.failKicks(0);
        host.faults().clear();
        if (queue.isBroken()) {
            queue.freeze();
            queue.restore();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, spec.name() + ": the virtio-pmem device is gone");
        }
    }

    /**
     * Freeze (7/7): the queue drains, so every flush waiting on it returns EIO and every later one fails at
     * once; nobody sleeps on a device that is going. Called before the bus is unregistered.
     */
    void freeze() {
        closed = true;
        queue.freeze();
    }

    /**
     * Stops the host (it answers what it holds, fails the rest), syncs the mapping and the file, and
     * closes them. Every resource is released even when the sync fails; that failure is thrown afterwards.
     */
    void close() {
        freeze();
        awaitCallersGone();
        host.close();
        NvdimmException failure = null;
        try {
            medium.sync();
        } catch (NvdimmException e) {
            failure = e;
        } finally {
            medium.close();
            try {
                channel.close();
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return VirtioConfig.PROVIDER + " " + spec.name();
    }
}
