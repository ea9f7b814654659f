package nvdimm.bus.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * Opens, creates or extends a file and maps it. Every step that changes the file system is made
 * durable before the mapping is handed out, and undone if a later step fails.
 */
public final class FileMapping {

    private FileMapping() {
    }

    /**
     * Maps {@code [0, size)} of the file, creating or extending it as the options allow.
     *
     * @param dax map synchronously ({@code READ_WRITE_SYNC}) for a DAX file system
     */
    public static Medium open(Path path, long size, Set<MapOption> options, boolean dax) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        String name = path.toString();
        if (size <= 0) {
            throw new NvdimmException(Errno.EINVAL, name + ": cannot map " + size + " bytes; the size must be positive");
        }
        boolean create = options.contains(MapOption.CREATE);
        FileChannel channel = null;
        boolean created = false;
        try {
            if (create) {
                try {
                    channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    created = true;
                } catch (FileAlreadyExistsException e) {
                    channel = openExisting(path);
                }
            } else {
                channel = openExisting(path);
            }
        } catch (IOException e) {
            throw IoErrors.toNvdimm(name, "cannot open the file", e);
        }
        return mapOrUndo(path, channel, size, created, created || options.contains(MapOption.EXTEND), dax);
    }

    /** Maps an existing, non-empty file whole, as a plain file. */
    public static Medium openWhole(Path path) {
        Objects.requireNonNull(path, "path");
        String name = path.toString();
        FileChannel channel;
        long size;
        try {
            channel = openExisting(path);
        } catch (IOException e) {
            throw IoErrors.toNvdimm(name, "cannot open the file", e);
        }
        try {
            size = channel.size();
        } catch (IOException e) {
            closeQuietly(channel);
            throw IoErrors.toNvdimm(name, "cannot read the file's size", e);
        }
        if (size == 0) {
            closeQuietly(channel);
            throw new NvdimmException(Errno.EINVAL, name + ": the file is empty; give a size to map");
        }
        return mapOrUndo(path, channel, size, false, false, false);
    }

    private static FileChannel openExisting(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static Medium mapOrUndo(Path path, FileChannel channel, long size, boolean created, boolean mayGrow,
            boolean dax) {
        String name = path.toString();
        long oldSize = -1;
        try {
            long current = sizeOf(name, channel);
            if (current < size) {
                if (!mayGrow) {
                    throw new NvdimmException(Errno.EINVAL, name + ": the file has " + current + " bytes, fewer than the "
                            + size + " to map; allow EXTEND to grow it");
                }
                oldSize = current;
                growSparse(path, channel, size);
            }
            return map(path, channel, size, dax);
        } catch (RuntimeException | Error failure) {
            undo(path, channel, created, oldSize, failure);
            throw failure;
        }
    }

    private static long sizeOf(String name, FileChannel channel) {
        try {
            return channel.size();
        } catch (IOException e) {
            throw IoErrors.toNvdimm(name, "cannot read the file's size", e);
        }
    }

    /**
     * Sets the file's length by writing its last byte (a zero) and nothing else, so the range in
     * between is a hole; then makes the new length and the directory entry durable.
     */
    private static void growSparse(Path path, FileChannel channel, long size) {
        String name = path.toString();
        try {
            ByteBuffer lastByte = ByteBuffer.allocate(1);
            while (lastByte.hasRemaining()) {
                channel.write(lastByte, size - 1);
            }
            channel.force(true);
        } catch (IOException e) {
            throw IoErrors.toNvdimm(name, "cannot extend the file to " + size + " bytes", e);
        }
        syncDirectory(path);
    }

    private static void syncDirectory(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            throw IoErrors.toNvdimm(dir.toString(), "cannot sync the directory of " + path.getFileName(), e);
        }
    }

    private static Medium map(Path path, FileChannel channel, long size, boolean dax) {
        String name = path.toString();
        Object fileKey;
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            throw IoErrors.toNvdimm(name, "cannot read the file's attributes", e);
        }
        MapMode mode = dax ? syncMode(name) : MapMode.READ_WRITE;
        Arena arena = Arena.ofShared();
        try {
            MemorySegment segment = channel.map(mode, 0, size, arena);
            return dax ? new DaxFileMedium(path, arena, segment, channel, fileKey)
                    : new MappedFileMedium(path, arena, segment, channel, fileKey);
        } catch (IOException e) {
            arena.close();
            if (dax && IoErrors.errnoOf(e) == Errno.EOPNOTSUPP) {
                throw notDax(name, e);
            }
            throw IoErrors.toNvdimm(name, "cannot map " + size + " bytes", e);
        } catch (UnsupportedOperationException e) {
            arena.close();
            throw notDax(name, e);
        }
    }

    private static MapMode syncMode(String name) {
        try {
            return DaxMapMode.readWriteSync();
        } catch (NoClassDefFoundError e) {
            throw new NvdimmException(Errno.EOPNOTSUPP,
                    name + ": this runtime offers no synchronous mappings (package jdk.nio.mapmode is not visible)", e);
        }
    }

    private static NvdimmException notDax(String name, Exception cause) {
        return new NvdimmException(Errno.EOPNOTSUPP,
                name + ": the file system is not DAX-capable; map it as a plain file instead", cause);
    }

    /** Puts the file system back as it was before a failed open: the failure stays the one thrown. */
    private static void undo(Path path, FileChannel channel, boolean created, long oldSize, Throwable failure) {
        try {
            if (created) {
                channel.close();
                Files.deleteIfExists(path);
                syncDirectory(path);
            } else {
                if (oldSize >= 0) {
                    channel.truncate(oldSize);
                    channel.force(true);
                }
                channel.close();
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Only the descriptor is released here; nothing was written through it.
        }
    }
}
