package nvdimm.shell.internal.blockdev;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;

/**
 * One side of a {@code dd}: a block device (whole sectors, straight between the copy buffer and the
 * media) or a host file (through its channel, over a byte-buffer view of the same buffer made once per
 * run). Offsets and lengths are in bytes.
 */
sealed interface Endpoint extends AutoCloseable {

    /** How {@code dd} names it. */
    String name();

    /** Its size in bytes (a file's current length). */
    long size();

    /** The unit transfers must be whole multiples of: the device's sector size, 1 for a file. */
    int unit();

    /** Reads {@code length} bytes at {@code offset} into the start of the buffer; returns how many (fewer at a file's end). */
    long read(long offset, long length) throws IOException;

    /** Writes the first {@code length} bytes of the buffer at {@code offset}. */
    void write(long offset, long length) throws IOException;

    /** Makes what was written durable (the device's flush, the file's force). */
    void flush() throws IOException;

    @Override
    void close() throws IOException;

    /** A block device over the copy buffer. */
    record Device(BlockDevice device, MemorySegment buffer) implements Endpoint {

        @Override
        public String name() {
            return device.name();
        }

        @Override
        public long size() {
            return device.size();
        }

        @Override
        public int unit() {
            return device.sectorSize();
        }

        @Override
        public long read(long offset, long length) {
            device.read(offset / device.sectorSize(), part(length));
            return length;
        }

        @Override
        public void write(long offset, long length) {
            device.write(offset / device.sectorSize(), part(length));
        }

        /** The whole buffer for a full block (no new segment per block), a slice for the last, short one. */
        private MemorySegment part(long length) {
            return length == buffer.byteSize() ? buffer : buffer.asSlice(0, length);
        }

        @Override
        public void flush() {
            device.flush();
        }

        @Override
        public void close() {
            // the device belongs to its namespace
        }
    }

    /** A host file over the copy buffer's byte-buffer view. */
    record File(Path path, FileChannel channel, ByteBuffer view) implements Endpoint {

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new NvdimmException(Errno.EIO, path + ": cannot read its size: " + e.getMessage(), e);
            }
        }

        @Override
        public int unit() {
            return 1;
        }

        @Override
        public long read(long offset, long length) throws IOException {
            view.clear().limit((int) length);
            long at = offset;
            while (view.hasRemaining()) {
                int n = channel.read(view, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return at - offset;
        }

        @Override
        public void write(long offset, long length) throws IOException {
            view.clear().limit((int) length);
            long at = offset;
            while (view.hasRemaining()) {
                at += channel.write(view, at);
            }
        }

        @Override
        public void flush() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
