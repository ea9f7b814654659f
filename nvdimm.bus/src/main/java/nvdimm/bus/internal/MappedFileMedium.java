package nvdimm.bus.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * A file mapped shared into a shared arena. Stores go straight into the page cache, which a
 * crash of the process does not lose, so {@code persist} only has to keep later stores from
 * overtaking earlier ones: a store-store fence. {@code sync} writes the mapping back ({@code msync}) and then
 * {@code fsync}s the file, which a crash of the host does not lose. {@code drain} does the same:
 * the persistence domain is the page cache, and draining it to the disk is that write back.
 *
 * <p>The file channel is kept for {@code fsync}. An interrupt during a channel operation closes a
 * {@link FileChannel} for every user, so when that happens the channel is reopened (if the path
 * still names the same file) and only the interrupted call fails, with EINTR.
 */
class MappedFileMedium extends SegmentMedium {

    private final Path path;
    private final Object fileKey;
    private final AtomicReference<FileChannel> channel;

    MappedFileMedium(Path path, Arena arena, MemorySegment segment, FileChannel channel, Object fileKey) {
        super(path.toString(), arena, segment);
        this.path = path;
        this.fileKey = fileKey;
        this.channel = new AtomicReference<>(Objects.requireNonNull(channel, "channel"));
    }

    @Override
    public Persistence persistence() {
        return Persistence.PROCESS_CRASH;
    }

    @Override
    protected void persistRange(long offset, long length) {
        // a store-store fence: the page cache has every executed store, so only their order matters (a
        // full fence would also make the writer wait for its store buffer, which persistence never needs)
        VarHandle.storeStoreFence();
    }

    @Override
    protected void syncAll() {
        try {
            segment().force();
        } catch (UncheckedIOException e) {
            throw ioFailure("cannot write the mapping back", e.getCause());
        }
        forceChannel(true);
    }

    @Override
    protected void drainAll() {
        syncAll();
    }

    @Override
    protected void released() {
        closeQuietly(channel.get());
    }

    /** The error for a failed write-back: ENXIO when a racing close unmapped the memory. */
    protected final NvdimmException ioFailure(String action, IOException e) {
        return isClosed() ? closedError(e) : IoErrors.toNvdimm(name(), action, e);
    }

    private void forceChannel(boolean retry) {
        FileChannel current = channel.get();
        try {
            current.force(true);
        } catch (ClosedByInterruptException e) {
            // The interrupt closed the channel; restore it for the other users, fail only this call.
            NvdimmException interrupted = new NvdimmException(Errno.EINTR, name() + ": sync was interrupted", e);
            try {
                reopen(current);
            } catch (NvdimmException reopenFailure) {
                interrupted.addSuppressed(reopenFailure);
            }
            throw interrupted;
        } catch (ClosedChannelException e) {
            if (isClosed() || !retry) {
                throw isClosed() ? closedError(e) : IoErrors.toNvdimm(name(), "cannot sync the file", e);
            }
            reopen(current); // another thread's interrupt closed it
            forceChannel(false);
        } catch (IOException e) {
            throw ioFailure("cannot sync the file", e);
        }
    }

    private void reopen(FileChannel dead) {
        FileChannel fresh;
        try {
            fresh = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw IoErrors.toNvdimm(name(), "cannot reopen the file for sync", e);
        }
        Object key;
        try {
            key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            closeQuietly(fresh);
            throw IoErrors.toNvdimm(name(), "cannot reopen the file for sync", e);
        }
        if (!Objects.equals(key, fileKey)) {
            closeQuietly(fresh);
            throw new NvdimmException(Errno.EIO, name() + ": cannot reopen the file for sync: the path names another file now");
        }
        if (!channel.compareAndSet(dead, fresh)) {
            closeQuietly(fresh); // another thread reopened it first
        }
        if (isClosed()) {
            closeQuietly(channel.get()); // close() may have closed the old channel while we swapped
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing only releases the descriptor; the data went through the mapping.
        }
    }
}
