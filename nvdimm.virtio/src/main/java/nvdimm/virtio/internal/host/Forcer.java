package nvdimm.virtio.internal.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * What the host does for a guest flush: make the backing file durable (QEMU's {@code fsync(fd)} in a
 * worker thread). A seam so that tests can count, block or fail forces.
 */
@FunctionalInterface
public interface Forcer {
    void force() throws IOException;

    /** {@code FileChannel.force(true)}: data and metadata, as {@code fsync} does. */
    static Forcer of(FileChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return () -> channel.force(true);
    }
}
