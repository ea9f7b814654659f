package nvdimm.virtio.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostRealFileTest {
    @TempDir
    Path dir;
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Test
    void flushesForceTheBackingFile() throws Exception {
        Path file = dir.resolve("pmem0");
        AtomicInteger forced = new AtomicInteger();
        try (FileChannel ch = open(file)) {
            Forcer real = Forcer.of(ch);
            try (HostBackend host = new HostBackend("f0", () -> {
                real.force();
                forced.incrementAndGet();
            }, 1, 128, new HostFaults(), lockdep)) {
                for (int i = 0; i < 3; i++) {
                    ch.write(ByteBuffer.wrap(("block " + i).getBytes()), i * 4096L);
                    host.submit().get(30, TimeUnit.SECONDS);
                }
                assertEquals(3, forced.get(), "each flush after a write was answered by a force of its own");
                assertEquals(3, host.forces());
                assertEquals(3, host.acknowledged());
            }
        }
        assertEquals("block 2", new String(Files.readAllBytes(file), 8192, 7));
        assertTrue(lockdep.reports().isEmpty(), () -> "lockdep: " + lockdep.reports());
    }

    @Test
    void aFailedForceIsAnEioFailureCarryingTheCause() throws Exception {
        FileChannel ch = open(dir.resolve("pmem1"));
        ch.close();
        try (HostBackend host = new HostBackend("f1", Forcer.of(ch), 1, 128, new HostFaults(), lockdep)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> host.submit().get(30, TimeUnit.SECONDS));
            NvdimmException failure = assertInstanceOf(NvdimmException.class, e.getCause());
            assertEquals(Errno.EIO, failure.errno());
            assertInstanceOf(ClosedChannelException.class, failure.getCause());
            assertTrue(failure.getMessage().contains("f1"), failure::getMessage);
            assertEquals(1, host.failed());
            assertEquals(0, host.acknowledged());
        }
    }
}
