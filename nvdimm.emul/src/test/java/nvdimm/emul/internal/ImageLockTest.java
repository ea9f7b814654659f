package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nvdimm.bus.Errno;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLockTest {

    @TempDir
    Path dir;

    @Test
    void anotherProcessSeesTheBytesQemuLocks() throws Exception {
        Path file = Files.write(dir.resolve("a.img"), new byte[4096]);
        try (ImageLock lock = ImageLock.acquire(file)) {
            // what qemu-img and QEMU test: held consistent read and write, unshared write and resize
            assertEquals(List.of("100 locked", "101 locked", "102 free", "103 free", "200 free", "201 locked",
                    "202 free", "203 locked"), OtherProcessLocks.probe(dir, file, 100, 101, 102, 103, 200, 201, 202, 203));
        }
        assertEquals(List.of("100 free", "101 free", "201 free", "203 free"),
                OtherProcessLocks.probe(dir, file, 100, 101, 201, 203), "closing releases every byte");
    }

    /** A QEMU writer holds write (101) and does not share it (201): the file is refused here. */
    @Test
    void aFileAQemuWriterHoldsIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("q.img"), new byte[4096]);
        try (OtherProcessLocks.Holder qemu = new OtherProcessLocks.Holder(dir, file, 100, 101, 201, 203)) {
            assertErrno(Errno.EBUSY, () -> ImageLock.acquire(file), file + ": in use: ",
                    "a QEMU, a qemu-img or another nvdimm runtime has it open");
            assertEquals(List.of("100 locked", "101 locked"), OtherProcessLocks.probe(dir, file, 100, 101),
                    "the refused attempt left the other process's locks alone");
        }
        ImageLock.acquire(file).close();
    }

    /** A reader that shares nothing but reads (qemu-img info takes 100 and locks 201) also keeps writers out. */
    @Test
    void aReaderThatDoesNotShareWriteRefusesTheFile() throws Exception {
        Path file = Files.write(dir.resolve("r.img"), new byte[4096]);
        try (OtherProcessLocks.Holder reader = new OtherProcessLocks.Holder(dir, file, 100, 201)) {
            assertErrno(Errno.EBUSY, () -> ImageLock.acquire(file), "does not share its \"write\" permission");
        }
    }

    /** OFD locks belong to the open file, not the process: a second open in this JVM conflicts too. */
    @Test
    void twoLocksOfOneFileConflictEvenInOneProcess() throws Exception {
        Path file = Files.write(dir.resolve("t.img"), new byte[4096]);
        ImageLock first = ImageLock.acquire(file);
        assertErrno(Errno.EBUSY, () -> ImageLock.acquire(file), "in use");
        first.close();
        first.close(); // idempotent
        ImageLock.acquire(file).close();
    }

    @Test
    void aMissingFileFailsWithItsErrno() {
        assertErrno(Errno.ENOENT, () -> ImageLock.acquire(dir.resolve("none.img")), "none.img: cannot lock the file: open failed");
    }
}
