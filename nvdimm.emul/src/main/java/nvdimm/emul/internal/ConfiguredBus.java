package nvdimm.emul.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.emul.EmulConfig;
import nvdimm.lockdep.Lockdep;

/**
 * Opens the DIMMs of a configured bus and builds it. With file backing, DIMM {@code i} is
 * {@code <data>/media/<provider>/dimm<i>.img}: persistent memory then label area. Every existing
 * file is checked before anything is created; a failure on the way closes what was opened and
 * removes the files and folders this call created, so a refused bus leaves the data directory as
 * it was.
 */
final class ConfiguredBus {

    private ConfiguredBus() {
    }

    /** The folder of a bus's DIMM files. */
    static Path folder(Path dataDir, String provider) {
        return dataDir.resolve(EmulConfig.MEDIA_DIR).resolve(provider);
    }

    /** The file of DIMM {@code index}. */
    static Path dimmFile(Path dataDir, String provider, int index) {
        return folder(dataDir, provider).resolve("dimm" + index + ".img");
    }

    /** The files the bus will use; empty for memory backing. */
    static List<Path> files(BusSpec spec, Path dataDir) {
        List<Path> files = new ArrayList<>();
        if (!spec.memory()) {
            for (int i = 0; i < spec.dimms(); i++) {
                files.add(dimmFile(dataDir, spec.provider(), i));
            }
        }
        return files;
    }

    /** The region sizes of the spec, for reserving address space. */
    static List<Long> regionSizes(BusSpec spec) {
        return spec.regions().stream().map(r -> spec.dimmSize() * r.dimms().size()).toList();
    }

    /**
     * Opens (or creates) the DIMMs and builds the bus.
     *
     * @param dataDir the data directory; only used with file backing
     */
    static EmulBus open(BusSpec spec, Path dataDir, long spaBase, Lockdep lockdep, LongSupplier nanoClock) {
        return open(spec, dataDir, spaBase, lockdep, nanoClock, ConfiguredBus::map);
    }

    /** Opens one DIMM file: maps an existing one, or creates it sparse. */
    @FunctionalInterface
    interface Opener {
        Medium open(Path file, long size, boolean create);
    }

    private static Medium map(Path file, long size, boolean create) {
        return create ? Media.mapFile(file, size, MapOption.CREATE) : Media.mapFile(file, size);
    }

    static EmulBus open(BusSpec spec, Path dataDir, long spaBase, Lockdep lockdep, LongSupplier nanoClock,
            Opener opener) {
        List<Path> files = files(spec, dataDir);
        for (int i = 0; i < files.size(); i++) {
            checkExisting(spec, files.get(i), expectedSize(spec, i));
        }
        List<Path> createdDirs = new ArrayList<>();
        List<Path> createdFiles = new ArrayList<>();
        List<Medium> opened = new ArrayList<>();
        List<ImageLock> locks = new ArrayList<>();
        try {
            if (!spec.memory()) {
                createFolders(spec, folder(dataDir, spec.provider()), createdDirs);
            }
            List<EmulDimm> dimms = new ArrayList<>();
            for (int i = 0; i < spec.dimms(); i++) {
                long size = expectedSize(spec, i);
                Medium medium;
                Path file = null;
                ImageLock fileLock = null;
                if (spec.memory()) {
                    medium = Media.memory(spec.provider() + "/dimm" + i, size);
                    opened.add(medium);
                } else {
                    file = files.get(i);
                    boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
                    if (exists) {
                        fileLock = lockFor(spec, file); // before mapping: a file in use elsewhere is not touched
                        locks.add(fileLock);
                    } else {
                        createdFiles.add(file); // before opening: an open that fails half-way may leave it
                    }
                    medium = opener.open(file, size, !exists);
                    opened.add(medium);
                    if (!exists) {
                        fileLock = lockFor(spec, file); // a new file can be locked once it exists
                        locks.add(fileLock);
                    }
                }
                DimmDescriptor d = Identity.nfitTest(spec.provider(), i, spec.dimmSize(), spec.labelSizes().get(i));
                dimms.add(new EmulDimm(d, medium, spec.dimmSize(), file, lockdep, fileLock));
            }
            List<EmulBus.RegionPlan> plans = spec.regions().stream()
                    .map(r -> new EmulBus.RegionPlan(r.dimms(), r.granularity())).toList();
            return new EmulBus(spec.provider(), dimms, plans, spaBase, spec.maxTransfer(), lockdep, nanoClock);
        } catch (RuntimeException | Error e) {
            undo(opened, createdFiles, createdDirs, e);
            locks.forEach(ImageLock::close);
            throw e;
        }
    }

    /** The QEMU-style lock on a DIMM file: another runtime or a QEMU using it makes this bus fail. */
    private static ImageLock lockFor(BusSpec spec, Path file) {
        try {
            return ImageLock.acquire(file);
        } catch (NvdimmException e) {
            throw new NvdimmException(e.errno(), spec.source() + ": " + e.detail(), e);
        }
    }

    private static long expectedSize(BusSpec spec, int i) {
        return spec.dimmSize() + spec.labelSizes().get(i);
    }

    private static void checkExisting(BusSpec spec, Path file, long expected) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new NvdimmException(Errno.EINVAL, spec.source() + ": " + file + " exists and is not a regular file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new NvdimmException(Errno.EIO, spec.source() + ": cannot read the size of " + file, e);
        }
        if (size != expected) {
            throw new NvdimmException(Errno.EINVAL, spec.source() + ": " + file + " has " + size
                    + " bytes, but the configuration needs " + expected + " (" + EmulConfig.DIMM_SIZE + " + "
                    + EmulConfig.LABEL_SIZE + "); restore the configuration or move the file away");
        }
    }

    private static void createFolders(BusSpec spec, Path folder, List<Path> created) {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.addFirst(p);
            } catch (IOException e) {
                throw new NvdimmException(errnoOf(e), spec.source() + ": cannot create the folder " + p + ": " + e, e);
            }
        }
    }

    /** The errno behind a file system failure, as the JDK reports it. */
    static Errno errnoOf(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> Errno.ENOENT;
            case AccessDeniedException x -> Errno.EACCES;
            case FileAlreadyExistsException x -> Errno.EEXIST;
            case FileSystemException x when x.getReason() != null -> Errno.ofStrerror(x.getReason()).orElse(Errno.EIO);
            default -> Errno.ofStrerror(String.valueOf(e.getMessage())).orElse(Errno.EIO);
        };
    }

    private static void undo(List<Medium> opened, List<Path> createdFiles, List<Path> createdDirs, Throwable failure) {
        for (Medium m : opened) {
            m.close();
        }
        List<Path> toDelete = new ArrayList<>(createdFiles);
        toDelete.addAll(createdDirs); // innermost first
        for (Path p : toDelete) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
