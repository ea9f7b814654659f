package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @Test
    void createMakesTheLayout(@TempDir Path tmp) throws IOException {
        DataDir data = new DataDir(tmp.resolve("data"));
        assertTrue(data.create(), "the first use is reported");
        for (Path dir : new Path[] {data.deploy(), data.etc(), data.log(), data.framework(),
                data.shell().resolve("etc")}) {
            assertTrue(Files.isDirectory(dir), dir + " is a directory");
        }
        assertFalse(data.create(), "idempotent, and not the first use any more");
    }

    @Test
    void anEmptyDirectoryMadeBeforehandIsStillNew(@TempDir Path tmp) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("data"));
        assertTrue(new DataDir(root).create());
        assertFalse(new DataDir(root).create());
    }

    @Test
    void aLockedDirectoryIsRefusedNamingTheProcessThatHoldsIt(@TempDir Path tmp) throws IOException {
        DataDir data = new DataDir(tmp.resolve("data"));
        try (DataDirLock held = data.lock()) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(data.lockFile()));
            IOException e = assertThrows(DataDirLock.InUseException.class, data::lock);
            assertTrue(e.getMessage().startsWith("data directory " + data.root() + " is in use by this process ("),
                    e.getMessage());
            Files.readString(data.lockFile()); // opening and closing the file elsewhere keeps the lock (OFD)
            assertThrows(DataDirLock.InUseException.class, data::lock);
        }
        data.lock().close();
    }

    @Test
    void aFileWhereTheRootShouldBeIsRefused(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("data"), "not a directory");
        IOException e = assertThrows(IOException.class, () -> new DataDir(file).create());
        assertEquals("data directory " + file + " exists and is not a directory", e.getMessage());
    }
}
