package nvdimm.bus.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import nvdimm.bus.Errno;
import nvdimm.bus.MapOption;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/** Opening, creating and extending files for {@link Media#mapFile} and {@link Media#mapDax}. */
class FileMappingTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void createsASparseFileOfTheRequestedSize() throws Exception {
        Path file = dir.resolve("big.img");
        long size = 3 * GIB;
        try (Medium medium = Media.mapFile(file, size, MapOption.CREATE)) {
            assertEquals(size, medium.size());
            assertEquals(size, Files.size(file));
            // Beyond 2 GiB: offsets are longs all the way down.
            medium.writeLong(size - 8, 0x0123456789abcdefL);
            medium.write(size - 4096, "end of the image".getBytes(StandardCharsets.US_ASCII));
            medium.writeInt(2 * GIB + 4, 99);
            medium.sync();
            assertEquals(0x0123456789abcdefL, medium.readLong(size - 8));
            assertEquals(99, medium.readInt(2 * GIB + 4));
        }
        long allocated = allocatedBytes(file);
        assertTrue(allocated < 1 << 20, "a 3 GiB image with three stores allocated " + allocated + " bytes");
        try (Medium again = Media.mapFile(file)) {
            assertEquals(size, again.size());
            assertEquals(0x0123456789abcdefL, again.readLong(size - 8));
            byte[] text = new byte[16];
            again.read(size - 4096, text);
            assertEquals("end of the image", new String(text, StandardCharsets.US_ASCII));
            assertEquals(0L, again.readLong(GIB)); // a hole reads as zeros
        }
    }

    @Test
    void usesAnExistingFileAsItIsWithCreate() throws IOException {
        Path file = dir.resolve("existing.img");
        Files.write(file, filled(8192, (byte) 0x5a));
        try (Medium medium = Media.mapFile(file, 4096, MapOption.CREATE)) {
            assertEquals(4096, medium.size());
            byte[] head = new byte[4096];
            medium.read(0, head);
            assertArrayEquals(filled(4096, (byte) 0x5a), head);
        }
        assertEquals(8192, Files.size(file), "mapping a prefix must not shrink the file");
    }

    @Test
    void refusesAMissingFileWithoutCreate() {
        Path file = dir.resolve("missing.img");
        NvdimmException e = assertErrno(Errno.ENOENT, () -> Media.mapFile(file, 4096));
        assertEquals(file + ": cannot open the file: No such file or directory (ENOENT)", e.getMessage());
        assertErrno(Errno.ENOENT, () -> Media.mapFile(file));
        assertErrno(Errno.ENOENT, () -> Media.mapFile(file, 4096, MapOption.EXTEND));
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesAMissingDirectoryWithCreate() {
        Path file = dir.resolve("no-such-dir").resolve("x.img");
        assertErrno(Errno.ENOENT, () -> Media.mapFile(file, 4096, MapOption.CREATE));
    }

    @Test
    void refusesSizesThatAreNotPositiveBeforeTouchingTheFileSystem() {
        Path file = dir.resolve("zero.img");
        NvdimmException e = assertErrno(Errno.EINVAL, () -> Media.mapFile(file, 0, MapOption.CREATE));
        assertEquals(file + ": cannot map 0 bytes; the size must be positive (EINVAL)", e.getMessage());
        assertErrno(Errno.EINVAL, () -> Media.mapFile(file, -4096, MapOption.CREATE));
        assertErrno(Errno.EINVAL, () -> Media.mapDax(file, 0, MapOption.CREATE));
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesAFileSmallerThanTheSizeWithoutExtend() throws IOException {
        Path file = dir.resolve("small.img");
        Files.write(file, filled(4096, (byte) 1));
        NvdimmException e = assertErrno(Errno.EINVAL, () -> Media.mapFile(file, 8192));
        assertEquals(file + ": the file has 4096 bytes, fewer than the 8192 to map; allow EXTEND to grow it (EINVAL)",
                e.getMessage());
        assertErrno(Errno.EINVAL, () -> Media.mapFile(file, 8192, MapOption.CREATE));
        assertArrayEquals(filled(4096, (byte) 1), Files.readAllBytes(file), "a refused map changed the file");
    }

    @Test
    void extendsASmallerFileSparselyAndKeepsItsContent() throws Exception {
        Path file = dir.resolve("grow.img");
        Files.write(file, filled(4096, (byte) 7));
        long size = 2 * GIB + 4096;
        try (Medium medium = Media.mapFile(file, size, MapOption.EXTEND)) {
            assertEquals(size, Files.size(file));
            byte[] head = new byte[4096];
            medium.read(0, head);
            assertArrayEquals(filled(4096, (byte) 7), head);
            assertEquals(0L, medium.readLong(size - 8));
        }
        long allocated = allocatedBytes(file);
        assertTrue(allocated < 1 << 20, "extending to 2 GiB allocated " + allocated + " bytes");
    }

    @Test
    void mapsAWholeExistingFile() throws IOException {
        Path file = dir.resolve("whole.img");
        Files.write(file, filled(12288, (byte) 3));
        try (Medium medium = Media.mapFile(file)) {
            assertEquals(12288, medium.size());
            assertEquals(Medium.Persistence.PROCESS_CRASH, medium.persistence());
            assertEquals(0x0303030303030303L, medium.readLong(12280));
        }
    }

    @Test
    void refusesToMapAnEmptyFileWhole() throws IOException {
        Path file = dir.resolve("empty.img");
        Files.createFile(file);
        NvdimmException e = assertErrno(Errno.EINVAL, () -> Media.mapFile(file));
        assertEquals(file + ": the file is empty; give a size to map (EINVAL)", e.getMessage());
    }

    @Test
    void refusesADirectory() {
        NvdimmException e = assertErrno(Errno.EISDIR, () -> Media.mapFile(dir, 4096, MapOption.CREATE));
        assertEquals(dir + ": cannot open the file: Is a directory (EISDIR)", e.getMessage());
        assertErrno(Errno.EISDIR, () -> Media.mapFile(dir));
    }

    @Test
    void refusesAFileItMayNotWrite() throws IOException {
        Path file = dir.resolve("readonly.img");
        Files.write(file, new byte[4096]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        assumeFalse(Files.isWritable(file),
                "this user (root?) may write a read-only file, so EACCES cannot be provoked; IoErrorsTest covers the mapping");
        NvdimmException e = assertErrno(Errno.EACCES, () -> Media.mapFile(file, 4096));
        assertTrue(e.getMessage().startsWith(file + ": cannot open the file"), e.getMessage());
    }

    @Test
    void daxOnAFileSystemWithoutDaxFailsWithEopnotsuppAndRemovesTheFileItCreated() {
        Path file = dir.resolve("dax.img");
        Medium dax;
        try {
            dax = Media.mapDax(file, 4096, MapOption.CREATE);
        } catch (NvdimmException e) {
            assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
            assertEquals(file + ": the file system is not DAX-capable; map it as a plain file instead (EOPNOTSUPP)",
                    e.getMessage());
            assertFalse(Files.exists(file), "the failed mapping left the file it created");
            return;
        }
        try (dax) { // this machine has DAX after all: the mapping must be a power-failure-safe one
            assertEquals(Medium.Persistence.POWER_FAILURE, dax.persistence());
            dax.writeLong(0, 1L);
            dax.persist(0, 8);
        }
    }

    @Test
    void daxFailureCutsAnExtendedFileBack() throws IOException {
        Path file = dir.resolve("dax-grow.img");
        Files.write(file, filled(4096, (byte) 9));
        try (Medium dax = Media.mapDax(file, 8192, MapOption.EXTEND)) {
            assumeTrue(false, "this file system is DAX-capable: " + dax.name());
        } catch (NvdimmException e) {
            assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
        }
        assertArrayEquals(filled(4096, (byte) 9), Files.readAllBytes(file), "the failed DAX mapping left the file grown");
    }

    @Test
    void daxFailureCutsAnExtendedEmptyFileBackToEmpty() throws IOException {
        Path file = dir.resolve("dax-empty.img");
        Files.createFile(file);
        try (Medium dax = Media.mapDax(file, 8192, MapOption.EXTEND)) {
            assumeTrue(false, "this file system is DAX-capable: " + dax.name());
        } catch (NvdimmException e) {
            assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
        }
        assertEquals(0, Files.size(file));
    }

    @Test
    void daxFailureLeavesAnExistingFileAlone() throws IOException {
        Path file = dir.resolve("dax-existing.img");
        Files.write(file, filled(4096, (byte) 4));
        try (Medium dax = Media.mapDax(file, 4096, MapOption.CREATE)) {
            assumeTrue(false, "this file system is DAX-capable: " + dax.name());
        } catch (NvdimmException e) {
            assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
        }
        assertArrayEquals(filled(4096, (byte) 4), Files.readAllBytes(file));
    }

    @Test
    void refusesNullOptions() {
        assertThrows(NullPointerException.class, () -> Media.mapFile(dir.resolve("n.img"), 4096, (MapOption) null));
    }

    /** Blocks the file occupies on disk, from {@code stat}; skips the test when there is no stat. */
    private static long allocatedBytes(Path file) throws Exception {
        Path stat = Path.of("/usr/bin/stat");
        assumeTrue(Files.isExecutable(stat), "no /usr/bin/stat to count allocated blocks with; sparseness unchecked");
        Process process = new ProcessBuilder(stat.toString(), "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "stat did not finish");
        String[] fields = out.split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static NvdimmException assertErrno(Errno errno, Executable call) {
        NvdimmException e = assertThrows(NvdimmException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }
}
