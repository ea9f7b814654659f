package nvdimm.emul.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.emul.AttachedImage;
import nvdimm.emul.EmulConfig;
import nvdimm.emul.ImageAttacher;
import nvdimm.emul.LabelSize;
import nvdimm.emul.OpenedImage;
import nvdimm.lockdep.Lockdep;

/**
 * Image mode: one bus per attached file, with one DIMM presenting a QEMU nvdimm's identity. See
 * {@link ImageAttacher} for the rules. Every check that can refuse runs before the bus is
 * published, and nothing is ever written to the file before it is.
 */
final class Images implements ImageAttacher {

    private static final Set<PosixFilePermission> WRITE_BITS = Set.of(PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private final Directory directory;
    private final Lockdep lockdep;
    private final Publisher publisher;
    private final LongSupplier nanoClock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final java.util.concurrent.atomic.AtomicLong openings = new java.util.concurrent.atomic.AtomicLong();

    Images(Directory directory, Lockdep lockdep, Publisher publisher, LongSupplier nanoClock) {
        this.directory = directory;
        this.lockdep = Locks.register(lockdep);
        this.publisher = publisher;
        this.nanoClock = nanoClock;
    }

    @Override
    public AttachedImage attach(Path file, LabelSize labelSize, String name, int slot) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(labelSize, "labelSize");
        if (slot < 0 || slot >= MAX_SLOTS) {
            throw new NvdimmException(Errno.EINVAL, file + ": slot " + slot + " is outside 0.." + (MAX_SLOTS - 1));
        }
        if (!labelSize.isAuto() && labelSize.bytes() != 0 && labelSize.bytes() < EmulConfig.MIN_LABEL_SIZE) {
            throw new NvdimmException(Errno.EINVAL, file + ": label size " + labelSize.bytes()
                    + " is neither 0 nor at least 131072 (QEMU's minimum)");
        }
        String busName = name != null ? name : defaultName(file);
        if (!ConfigParser.NAME.matcher(busName).matches()) {
            throw new NvdimmException(Errno.EINVAL, "name '" + busName
                    + "': use letters, digits, '.', '_' and '-' (at most 64, not starting with '.' or '-')");
        }
        String provider = EmulConfig.PROVIDER_PREFIX + busName;
        Path real = checkFile(file);

        Directory.Entry entry = directory.reserve(provider, Directory.Kind.IMAGE, List.of(real),
                EmulBus.REGION_SPA_ALIGN, slot);
        Medium medium = null;
        ImageLock fileLock = null;
        EmulBus bus = null;
        try {
            if (closed.get()) {
                throw new NvdimmException(Errno.ENODEV, file + ": the image attacher is shutting down");
            }
            fileLock = ImageLock.acquire(real); // before mapping: a file a QEMU or another runtime uses is not touched
            medium = Media.mapFile(real);
            ImageLayout layout = ImageLayout.of(real.toString(), medium, labelSize);
            EmulDimm dimm = new EmulDimm(Identity.qemu(slot, layout.pmemSize(), layout.labelSize()), medium,
                    layout.labelOffset(), real, lockdep, fileLock);
            bus = new EmulBus(provider, List.of(dimm), List.of(new EmulBus.RegionPlan(List.of(0), 0)), entry.base,
                    EmulConfig.QEMU_MAX_TRANSFER, lockdep, nanoClock);
            AttachedImage image = new AttachedImage(provider, busName, real, layout.fileSize(), layout.pmemSize(),
                    layout.labelSize(), layout.detected(), slot);
            directory.opened(entry, bus, image);
            directory.published(entry, publisher.publish(bus, Directory.Kind.IMAGE));
            if (closed.get()) {
                detach(provider);
                throw new NvdimmException(Errno.ENODEV, file + ": the image attacher shut down while attaching");
            }
            return image;
        } catch (RuntimeException | Error e) {
            if (Directory.unpublish(entry) == null) {
                directory.remove(entry);
                if (bus != null) {
                    closeQuietly(bus, e);
                } else {
                    if (medium != null) {
                        medium.close();
                    }
                    if (fileLock != null) {
                        fileLock.close();
                    }
                }
            }
            throw e;
        }
    }

    @Override
    public OpenedImage open(Path file, LabelSize labelSize) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(labelSize, "labelSize");
        if (!labelSize.isAuto() && labelSize.bytes() != 0 && labelSize.bytes() < EmulConfig.MIN_LABEL_SIZE) {
            throw new NvdimmException(Errno.EINVAL, file + ": label size " + labelSize.bytes()
                    + " is neither 0 nor at least 131072 (QEMU's minimum)");
        }
        Path real = checkFile(file);
        // a name of its own per opening: a second opening of the file is then refused for the file (EBUSY)
        Directory.Entry entry = directory.reserve("open:" + openings.incrementAndGet() + ":" + real,
                Directory.Kind.OPENED, List.of(real), 0);
        ImageLock fileLock = null;
        Medium medium = null;
        try {
            fileLock = ImageLock.acquire(real);
            medium = Media.mapFile(real);
            ImageLayout layout = ImageLayout.of(real.toString(), medium, labelSize);
            return new Opened(real, layout, medium, fileLock, () -> directory.remove(entry));
        } catch (RuntimeException | Error e) {
            if (medium != null) {
                medium.close();
            }
            if (fileLock != null) {
                fileLock.close();
            }
            directory.remove(entry);
            throw e;
        }
    }

    /** An opened image: slices of the file's medium; closing syncs, unmaps, unlocks and frees the name. */
    private static final class Opened implements OpenedImage {
        private final Path file;
        private final ImageLayout layout;
        private final Medium medium;
        private final Medium pmem;
        private final Optional<Medium> labels;
        private final ImageLock lock;
        private final Runnable release;
        private final AtomicBoolean closed = new AtomicBoolean();

        Opened(Path file, ImageLayout layout, Medium medium, ImageLock lock, Runnable release) {
            this.file = file;
            this.layout = layout;
            this.medium = medium;
            this.lock = lock;
            this.release = release;
            this.pmem = Media.slice(medium, file + " (pmem)", 0, layout.pmemSize());
            this.labels = layout.labelSize() == 0 ? Optional.empty()
                    : Optional.of(Media.slice(medium, file + " (labels)", layout.labelOffset(), layout.labelSize()));
        }

        @Override
        public Path file() {
            return file;
        }

        @Override
        public long fileSize() {
            return layout.fileSize();
        }

        @Override
        public long labelSize() {
            return layout.labelSize();
        }

        @Override
        public boolean labelSizeDetected() {
            return layout.detected();
        }

        @Override
        public Medium pmem() {
            return pmem;
        }

        @Override
        public Optional<Medium> labelArea() {
            return labels;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                medium.sync();
            } finally {
                pmem.close();
                labels.ifPresent(Medium::close);
                medium.close();
                lock.close();
                release.run();
            }
        }
    }

    private static void closeQuietly(EmulBus bus, Throwable failure) {
        try {
            bus.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The file name without its extension, with characters a name may not hold replaced by '_'. */
    static String defaultName(Path file) {
        Path fileName = file.getFileName();
        String base = fileName == null ? "" : fileName.toString();
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        String name = base.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.isEmpty()) {
            return "image";
        }
        if (name.charAt(0) == '.' || name.charAt(0) == '-') {
            name = "_" + name;
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    /** The real path of an existing, writable regular file; refuses anything else without touching it. */
    private static Path checkFile(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new NvdimmException(ConfiguredBus.errnoOf(e), file + ": cannot attach: " + reason(e), e);
        }
        if (Files.isDirectory(real)) {
            throw new NvdimmException(Errno.EISDIR, file + ": cannot attach a directory");
        }
        if (!Files.isRegularFile(real)) {
            throw new NvdimmException(Errno.EINVAL, file + ": cannot attach: not a regular file");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(real, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> perms;
            try {
                perms = posix.readAttributes().permissions();
            } catch (IOException e) {
                throw new NvdimmException(ConfiguredBus.errnoOf(e), file + ": cannot read its permissions: " + reason(e),
                        e);
            }
            if (perms.stream().noneMatch(WRITE_BITS::contains)) {
                throw new NvdimmException(Errno.EACCES, file + ": the file is read-only (mode "
                        + PosixFilePermissions.toString(perms) + "); a DIMM must be writable");
            }
        }
        if (!Files.isWritable(real)) {
            throw new NvdimmException(Errno.EACCES, file + ": the file is not writable by this process");
        }
        return real;
    }

    private static String reason(IOException e) {
        return ConfiguredBus.errnoOf(e).strerror();
    }

    @Override
    public AttachedImage detach(String nameOrFile) {
        Directory.Entry entry = directory.takeImage(nameOrFile);
        return takeDown(entry);
    }

    private static AttachedImage takeDown(Directory.Entry entry) {
        Directory.unpublish(entry).run();
        AttachedImage image = Directory.image(entry);
        try {
            Directory.bus(entry).close();
        } catch (NvdimmException e) {
            throw new NvdimmException(e.errno(), image.file() + ": detached, but the final sync failed: " + e.detail(), e);
        }
        return image;
    }

    @Override
    public List<AttachedImage> attached() {
        return directory.images();
    }

    /** Detaches every image, for a shutdown; later attaches are refused. */
    void close() {
        closed.set(true);
        RuntimeException first = null;
        for (Directory.Entry e : directory.takeAllImages()) {
            try {
                takeDown(e);
            } catch (RuntimeException failure) {
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
