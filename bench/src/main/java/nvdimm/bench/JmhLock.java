package nvdimm.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH's machine-wide lock ({@code jmh.lock} in the temporary directory, which a JMH run holds while it runs), taken
 * by the harnesses that are not JMH runs themselves, so that they and JMH runs on a shared machine wait for each
 * other instead of measuring each other. Blocks until the lock is free.
 */
public final class JmhLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private JmhLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static JmhLock acquire() throws IOException {
        FileChannel channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock held = channel.tryLock();
            if (held == null) {
                System.out.println("waiting for another JMH run (jmh.lock) to end");
                held = channel.lock();
            }
            return new JmhLock(channel, held);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
