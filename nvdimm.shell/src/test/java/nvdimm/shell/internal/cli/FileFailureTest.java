package nvdimm.shell.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host file that cannot be opened keeps the file system's errno, in ndctl's words. */
class FileFailureTest {

    private static NvdimmException writing(Path file) {
        IOException e = assertThrows(IOException.class, () -> Files.write(file, new byte[1]));
        return FileFailure.of(file, e);
    }

    @Test
    void aMissingDirectoryIsEnoent(@TempDir Path dir) {
        Path file = dir.resolve("no/such/x");
        NvdimmException e = writing(file);
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("failed to open: " + file + ": (No such file or directory)", e.detail());
    }

    @Test
    void aFullDeviceIsEnospc() {
        Path full = Path.of("/dev/full");
        if (Files.isWritable(full)) {
            NvdimmException e = writing(full);
            assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
            assertEquals("failed to open: /dev/full: (No space left on device)", e.detail());
        }
    }

    @Test
    void aDirectoryIsEisdir(@TempDir Path dir) {
        NvdimmException e = writing(dir);
        assertEquals(Errno.EISDIR, e.errno());
        assertEquals("failed to open: " + dir + ": (Is a directory)", e.detail());
    }
}
