package nvdimm.bus.internal;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file on a DAX file system mapped {@code READ_WRITE_SYNC}: the mapping is the persistent
 * memory itself and its metadata is kept durable by the file system ({@code MAP_SYNC}), so
 * {@code persist} writes the range's CPU cache lines back and fences, which is what makes stores
 * survive a power failure. {@code sync} still writes the whole file back as for a plain mapping;
 * {@code drain} is only a fence: persisted stores are already in the power-fail domain and
 * {@code MAP_SYNC} keeps the file's metadata durable, so there is nothing below to drain.
 */
final class DaxFileMedium extends MappedFileMedium {

    DaxFileMedium(Path path, Arena arena, MemorySegment segment, FileChannel channel, Object fileKey) {
        super(path, arena, segment, channel, fileKey);
    }

    @Override
    public Persistence persistence() {
        return Persistence.POWER_FAILURE;
    }

    @Override
    protected void drainAll() {
        VarHandle.fullFence();
    }

    @Override
    protected void persistRange(long offset, long length) {
        try {
            // On a synchronous mapping force() is a cache-line write-back plus fence, not msync.
            segment().asSlice(offset, length).force();
        } catch (UncheckedIOException e) {
            throw ioFailure("cannot write back offset " + offset + " + " + length, e.getCause());
        }
    }
}
