package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.MediumContract;
import nvdimm.bus.NvdimmException;

/** The medium contract on a mapped file, and what only a file-backed medium does. */
class MappedFileMediumTest extends MediumContract {

    @TempDir
    Path dir;

    private Path file;

    @Override
    protected Medium open(long size) {
        file = dir.resolve("pmem0.img");
        return Media.mapFile(file, size, MapOption.CREATE);
    }

    @Test
    void survivesAProcessCrashAndIsNamedByItsPath() {
        assertEquals(Medium.Persistence.PROCESS_CRASH, medium.persistence());
        assertEquals(file.toString(), medium.name());
    }

    @Test
    void storesReachTheFileThroughTheSharedMapping() throws IOException {
        medium.write(4096, pattern(100, 9));
        medium.writeLong(8192, 0x1122334455667788L);
        medium.persist(0, SIZE);
        byte[] onFile = Files.readAllBytes(file);
        assertArrayEquals(pattern(100, 9), Arrays.copyOfRange(onFile, 4096, 4196));
        assertEquals("8877665544332211", java.util.HexFormat.of().formatHex(onFile, 8192, 8200));
    }

    @Test
    void writesThroughTheFileAreVisibleInTheMapping() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(pattern(10, 4)), 300);
        }
        byte[] back = new byte[10];
        medium.read(300, back);
        assertArrayEquals(pattern(10, 4), back);
    }

    @Test
    void reopeningAfterCloseSeesTheData() {
        medium.write(12345, pattern(77, 5));
        medium.writeLong(SIZE - 8, -7L);
        medium.sync();
        medium.close();
        try (Medium again = Media.mapFile(file)) {
            assertEquals(SIZE, again.size());
            byte[] back = new byte[77];
            again.read(12345, back);
            assertArrayEquals(pattern(77, 5), back);
            assertEquals(-7L, again.readLong(SIZE - 8));
        }
    }

    @Test
    void closeUnmapsTheFileAndReleasesItsDescriptorAtOnce() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "no /proc/self/maps to inspect mappings with");
        assertTrue(isMapped(file), "the open medium should be mapped");
        assertEquals(1, descriptorsOf(file));
        medium.close();
        assertFalse(isMapped(file), "close left the file mapped");
        assertEquals(0, descriptorsOf(file), "close left the file open");
    }

    @Test
    void aMemoryFaultFailsTheAccessAndDoesNotCrashTheJvm() throws IOException {
        medium.writeLong(SIZE / 2, 5L);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0); // the pages behind the mapping are gone: touching them faults (SIGBUS)
        }
        List<Executable> accesses = List.of(
                () -> medium.readLong(SIZE / 2),
                () -> medium.write(4096, new byte[16]),
                () -> medium.write(8192, new byte[64 * 1024 - 8192]),
                () -> medium.writeInt(8192, 1),
                () -> medium.read(0, new byte[16]));
        for (Executable access : accesses) {
            Throwable failure = assertThrows(Throwable.class, () -> {
                access.execute();
                Thread.yield(); // a native call: the JDK delivers a fault it deferred here at the latest
            });
            if (failure instanceof NvdimmException e) {
                assertEquals(Errno.EIO, e.errno(), e.getMessage());
                assertTrue(e.getMessage().startsWith(file + ": memory fault accessing offset "), e.getMessage());
            } else {
                // The JDK may deliver the fault asynchronously, after the access returned.
                assertEquals(InternalError.class, failure.getClass(), failure::toString);
                assertEquals("a fault occurred in an unsafe memory access operation", failure.getMessage());
            }
        }
    }

    @Test
    void anInterruptedSyncFailsWithEintrAndLeavesSyncWorking() {
        medium.writeLong(0, 42L);
        Thread.currentThread().interrupt();
        try {
            NvdimmException e = assertThrows(NvdimmException.class, medium::sync);
            assertEquals(Errno.EINTR, e.errno());
            assertEquals(file + ": sync was interrupted (EINTR)", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status must stay set");
        } finally {
            Thread.interrupted();
        }
        medium.writeLong(8, 43L);
        medium.sync(); // the interrupt closed the channel; the medium reopened it
        medium.sync();
        assertEquals(43L, medium.readLong(8));
    }

    @Test
    void aSyncAfterTheFileWasReplacedCannotReopenIt() throws IOException {
        Path other = dir.resolve("other.img");
        Files.write(other, new byte[(int) SIZE]);
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
        Thread.currentThread().interrupt();
        try {
            NvdimmException e = assertThrows(NvdimmException.class, medium::sync);
            assertEquals(Errno.EINTR, e.errno());
            assertEquals(1, e.getSuppressed().length);
            assertEquals(file + ": cannot reopen the file for sync: the path names another file now (EIO)",
                    e.getSuppressed()[0].getMessage());
        } finally {
            Thread.interrupted();
        }
        NvdimmException later = assertThrows(NvdimmException.class, medium::sync);
        assertEquals(Errno.EIO, later.errno());
        assertTrue(later.getMessage().contains("the path names another file now"), later.getMessage());
        medium.close();
        assertEquals(0, descriptorsOf(file), "a channel opened on the other file was left open");
    }

    @Test
    void aSyncReopensTheChannelOnceThePathNamesTheFileAgain() throws IOException {
        Path saved = dir.resolve("saved.img");
        Files.createLink(saved, file); // the same file under a second name
        Files.delete(file);
        Thread.currentThread().interrupt();
        try {
            assertEquals(Errno.EINTR, assertThrows(NvdimmException.class, medium::sync).errno());
        } finally {
            Thread.interrupted();
        }
        Files.createLink(file, saved);
        medium.writeLong(64, 0x77L);
        medium.sync(); // finds the channel closed, reopens it (same file) and syncs
        assertEquals(1, descriptorsOf(file));
        medium.close();
        assertEquals(0, descriptorsOf(file));
        assertEquals(0x77, Files.readAllBytes(saved)[64]);
    }

    @Test
    void aSyncAfterTheFileWasDeletedReportsEnoent() throws IOException {
        Files.delete(file);
        Thread.currentThread().interrupt();
        try {
            NvdimmException e = assertThrows(NvdimmException.class, medium::sync);
            assertEquals(Errno.EINTR, e.errno());
            assertEquals(Errno.ENOENT, ((NvdimmException) e.getSuppressed()[0]).errno());
        } finally {
            Thread.interrupted();
        }
    }

    private static boolean isMapped(Path file) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.endsWith(" " + file));
    }

    /** How many of this process's descriptors refer to the file, by the path they were opened with. */
    private static long descriptorsOf(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "no /proc/self/fd to count descriptors with");
        try (var links = Files.list(fds)) {
            return links.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).toString().startsWith(file.toString());
                } catch (IOException e) {
                    return false; // the descriptor closed while we looked (the listing's own, for one)
                }
            }).count();
        }
    }
}
