package nvdimm.bus.internal;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file on a DAX file system mapped {@code READ_WRITE_SYNC}: the mapping is the persistent
 * memory itself and its metadata is kept durable by the file system ({@code MAP_SYNC}), so
 * {@code persist} writes the range's CPU cache lines back and fences, which is what makes stores
 * survive a power failure. {@code sync} still drains the whole file as for a plain mapping.
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
    protected void persistRange(long offset, long length) {
        try {
            // On a synchronous mapping force() is a cache-line write-back plus fence, not msync.
            segment().asSlice(offset, length).force();
        } catch (UncheckedIOException e) {
            throw ioFailure("cannot write back offset " + offset + " + " + length, e.getCause());
        }
    }
}
