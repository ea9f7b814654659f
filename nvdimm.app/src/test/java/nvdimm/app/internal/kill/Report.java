package nvdimm.app.internal.kill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The child's record of what it did, one line per record, each line one {@code write(2)} on an
 * {@code O_APPEND} file: once {@link #record} returns, the kernel has the line, and a SIGKILL of this
 * process cannot take it back (a kill loses no page cache; what a power failure would lose is not
 * this test's subject, so the file is not synced). A record is written only after what it reports
 * has happened.
 */
public final class Report implements AutoCloseable {

    private final FileChannel channel;

    public Report(Path file) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open report " + file, e);
        }
    }

    /** Appends one line; safe from several threads (the channel serializes writes). */
    public void record(String line) {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the report", e);
        }
    }
}
