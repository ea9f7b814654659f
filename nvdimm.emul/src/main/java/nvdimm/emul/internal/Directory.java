package nvdimm.emul.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.emul.AttachedImage;
import nvdimm.emul.EmulCommand;
import nvdimm.emul.FaultInjector;
import nvdimm.emul.FaultState;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The running emulated buses of this framework, configured and attached: their provider names
 * (unique), the files they use (one user each) and their windows of system physical address
 * space (disjoint, so two buses never report the same poison address). A bus is reserved before
 * its media are opened and published after; a reservation that fails is cancelled. It is also the
 * {@link FaultInjector}, which finds buses here by name.
 */
@Component(service = {Directory.class, FaultInjector.class}, immediate = true)
public final class Directory implements FaultInjector {

    /** Where the first bus's window starts: 64 GiB, above any emulated RAM. */
    static final long SPA_BASE = 64L << 30;

    /** Whether a bus comes from a configuration or from an attached image. */
    enum Kind { CONFIGURED, IMAGE, OPENED }

    /** {@link Entry#slot} of a configured bus, which claims no QEMU slot. */
    static final int NO_SLOT = -1;

    /** One bus, reserved or running. */
    static final class Entry {
        final String provider;
        final Kind kind;
        final Set<Path> files;
        final long base;
        final long span;
        /** The QEMU nvdimm slot an image's DIMM presents, or {@link #NO_SLOT}. */
        final int slot;
        private volatile EmulBus bus;
        private volatile AttachedImage image;
        private volatile Runnable unpublish;

        Entry(String provider, Kind kind, Set<Path> files, long base, long span, int slot) {
            this.provider = provider;
            this.kind = kind;
            this.files = files;
            this.base = base;
            this.span = span;
            this.slot = slot;
        }
    }

    private final Mutex lock;
    private final TreeMap<String, Entry> entries = new TreeMap<>();

    @Activate
    public Directory(@Reference Lockdep lockdep) {
        this.lock = Locks.register(lockdep).newMutex(Locks.DIRECTORY);
    }

    /**
     * Reserves a name, files and address space for a configured bus about to be opened.
     *
     * @throws NvdimmException EEXIST for a name in use, EBUSY for a file in use
     */
    Entry reserve(String provider, Kind kind, Collection<Path> files, long span) {
        return reserve(provider, kind, files, span, NO_SLOT);
    }

    /**
     * Reserves a name, files, address space and, for an image, its QEMU slot: QEMU has one nvdimm
     * per slot, and two DIMMs with one slot's identity would share their interleave-set cookies.
     *
     * @throws NvdimmException EEXIST for a name in use, EBUSY for a file or slot in use
     */
    Entry reserve(String provider, Kind kind, Collection<Path> files, long span, int slot) {
        Set<Path> canonical = Set.copyOf(files.stream().map(Directory::canonical).toList());
        lock.lock();
        try {
            Entry other = entries.get(provider);
            if (other != null) {
                throw new NvdimmException(Errno.EEXIST, provider + ": a bus of that name is already "
                        + describe(other.kind));
            }
            for (Entry e : entries.values()) {
                for (Path f : canonical) {
                    if (e.files.contains(f)) {
                        throw new NvdimmException(Errno.EBUSY, f + ": already in use by bus " + e.provider
                                + " (" + (e.kind == Kind.IMAGE ? "attached image" : describe(e.kind)) + ")");
                    }
                }
            }
            if (slot != NO_SLOT) {
                for (Entry e : entries.values()) {
                    if (e.slot == slot) {
                        throw new NvdimmException(Errno.EBUSY, String.join(", ", canonical.stream()
                                .map(p -> String.valueOf(p.getFileName())).toList()) + ": QEMU slot " + slot
                                + " is already taken by " + e.provider + " (" + String.join(", ",
                                e.files.stream().map(Path::toString).toList()) + ")" + freeSlotHint());
                    }
                }
            }
            Entry entry = new Entry(provider, kind, canonical, allocate(span), span, slot);
            entries.put(provider, entry);
            return entry;
        } finally {
            lock.unlock();
        }
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case IMAGE -> "attached";
            case CONFIGURED -> "configured";
            case OPENED -> "opened for a check";
        };
    }

    private String freeSlotHint() {
        Set<Integer> taken = new java.util.HashSet<>();
        entries.values().forEach(e -> taken.add(e.slot));
        for (int slot = 0; slot < nvdimm.emul.ImageAttacher.MAX_SLOTS; slot++) {
            if (!taken.contains(slot)) {
                return "; give another slot; the lowest free one is " + slot;
            }
        }
        return "; every slot is taken";
    }

    /** First fit, in whole windows, above {@link #SPA_BASE}. */
    private long allocate(long span) {
        long base = SPA_BASE;
        List<Entry> byBase = new ArrayList<>(entries.values());
        byBase.sort((a, b) -> Long.compare(a.base, b.base));
        for (Entry e : byBase) {
            if (e.span == 0) {
                continue;
            }
            if (base + span <= e.base) {
                break; // fits in the gap before e
            }
            base = Math.max(base, e.base + e.span);
        }
        return base;
    }

    /** Records the opened bus of a reservation: from now on faults can be injected into it. */
    void opened(Entry entry, EmulBus bus, AttachedImage image) {
        lock.lock();
        try {
            entry.bus = bus;
            entry.image = image;
        } finally {
            lock.unlock();
        }
    }

    /** Records what takes the bus off the framework: from now on an image can be detached. */
    void published(Entry entry, Runnable unpublish) {
        lock.lock();
        try {
            entry.unpublish = unpublish;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a reservation or a running bus. */
    void remove(Entry entry) {
        lock.lock();
        try {
            entries.remove(entry.provider, entry);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Finds the attached image named {@code nameOrFile} (its name, provider name or file) and removes
     * it from the directory; the caller takes it down.
     *
     * @throws NvdimmException ENOENT when nothing matches, EINVAL for a configured bus, EBUSY for an
     *     image still being attached
     */
    Entry takeImage(String nameOrFile) {
        Objects.requireNonNull(nameOrFile, "nameOrFile");
        Path asFile = null;
        try {
            asFile = canonical(Path.of(nameOrFile));
        } catch (RuntimeException e) {
            // not a path; match by name only
        }
        lock.lock();
        try {
            for (Entry e : entries.values()) {
                boolean named = e.provider.equals(nameOrFile)
                        || e.provider.equals(nvdimm.emul.EmulConfig.PROVIDER_PREFIX + nameOrFile);
                if (!named && (asFile == null || !e.files.contains(asFile))) {
                    continue;
                }
                if (e.kind != Kind.IMAGE) {
                    throw new NvdimmException(Errno.EINVAL, nameOrFile + ": bus " + e.provider
                            + " is configured, not attached; delete its configuration to take it down");
                }
                if (e.unpublish == null) {
                    throw new NvdimmException(Errno.EBUSY, nameOrFile + ": bus " + e.provider + " is still being attached");
                }
                entries.remove(e.provider);
                return e;
            }
        } finally {
            lock.unlock();
        }
        throw new NvdimmException(Errno.ENOENT, nameOrFile + ": no image is attached by that name or file");
    }

    /** Removes and returns every running attached image, for a shutdown. */
    List<Entry> takeAllImages() {
        lock.lock();
        try {
            List<Entry> out = new ArrayList<>();
            for (Entry e : List.copyOf(entries.values())) {
                if (e.kind == Kind.IMAGE && e.unpublish != null) {
                    entries.remove(e.provider);
                    out.add(e);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    static EmulBus bus(Entry entry) {
        return entry.bus;
    }

    static AttachedImage image(Entry entry) {
        return entry.image;
    }

    static Runnable unpublish(Entry entry) {
        return entry.unpublish;
    }

    List<AttachedImage> images() {
        lock.lock();
        try {
            List<AttachedImage> out = new ArrayList<>();
            for (Entry e : entries.values()) {
                if (e.kind == Kind.IMAGE && e.image != null) {
                    out.add(e.image);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The path with its existing part resolved to the real path (symbolic links followed), so that
     * two spellings of one file compare equal even before the file exists.
     */
    static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    private EmulBus running(String provider) {
        Objects.requireNonNull(provider, "provider");
        lock.lock();
        try {
            Entry e = entries.get(provider);
            if (e == null || e.bus == null) {
                throw new NvdimmException(Errno.ENODEV, provider + ": no emulated bus of that name is running");
            }
            return e.bus;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void failCommand(String provider, EmulCommand command, Errno errno, int times) {
        running(provider).faults().failCommand(command, errno, times);
    }

    @Override
    public void failFlush(String provider, Errno errno, int times) {
        running(provider).faults().failFlush(errno, times);
    }

    @Override
    public void flushLatency(String provider, Duration latency) {
        running(provider).faults().flushLatency(latency);
    }

    @Override
    public void scrubDuration(String provider, Duration duration) {
        running(provider).faults().scrubDuration(duration);
    }

    @Override
    public void setHealth(String provider, int dimmHandle, DimmHealth health) {
        EmulBus bus = running(provider);
        if (!bus.hasDimm(dimmHandle)) {
            throw new NvdimmException(Errno.ENXIO, provider + ": no DIMM " + EmulCommands.handleText(dimmHandle)
                    + " on this bus");
        }
        bus.faults().setHealth(dimmHandle, health);
    }

    @Override
    public void clear(String provider) {
        running(provider).faults().clear();
    }

    @Override
    public FaultState faults(String provider) {
        return running(provider).faults().state();
    }

    @Override
    public List<String> providers() {
        lock.lock();
        try {
            return entries.values().stream().filter(e -> e.bus != null).map(e -> e.provider).toList();
        } finally {
            lock.unlock();
        }
    }
}
