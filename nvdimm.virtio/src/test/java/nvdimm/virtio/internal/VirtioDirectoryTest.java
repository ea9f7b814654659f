package nvdimm.virtio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VirtioDirectoryTest {

    private final VirtioDirectory directory = new VirtioDirectory(new Lockdep(LockdepMode.THROW));

    private static VirtioSpec spec(String name, String path, long size) {
        return new VirtioSpec("nvdimm.virtio~" + name, name, Path.of(path), size, 128, 1);
    }

    @Test
    void devicesGetDisjointWindowsAndAFreedWindowIsReused() {
        VirtioDirectory.Claim a = directory.claim(spec("a", "/a", 3L << 30));
        VirtioDirectory.Claim b = directory.claim(spec("b", "/b", 4096));
        assertEquals(VirtioDirectory.SPA_BASE, a.base);
        assertEquals(VirtioDirectory.SPA_BASE + (3L << 30), b.base);
        directory.release(a);
        assertEquals(VirtioDirectory.SPA_BASE, directory.claim(spec("c", "/c", 1L << 30)).base);
    }

    @Test
    void aNameOrFileInUseIsEbusyNamingTheOtherDevice() {
        directory.claim(spec("a", "/a", 4096));
        NvdimmException name = assertThrows(NvdimmException.class, () -> directory.claim(spec("a", "/other", 4096)));
        assertEquals(Errno.EBUSY, name.errno());
        assertTrue(name.getMessage().contains("the device name a is in use"), name.getMessage());
        NvdimmException file = assertThrows(NvdimmException.class, () -> directory.claim(spec("b", "/a", 4096)));
        assertTrue(file.getMessage().contains("/a is the backing file of virtio-pmem device a"), file.getMessage());
    }

    /** A deleted configuration's successor may be activated while the old device still closes its file. */
    @Test
    void aSuccessorWaitsForAClosingDeviceToReleaseItsClaim() throws Exception {
        VirtioDirectory.Claim old = directory.claim(spec("a", "/a", 4096));
        directory.closing(old);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<VirtioDirectory.Claim> next = CompletableFuture.supplyAsync(
                    () -> directory.claim(spec("a", "/a", 4096)), pool);
            Thread.sleep(50); // not a timing assertion: the successor must still be waiting, whatever the delay
            assertFalse(next.isDone(), "waits for the closing device");
            directory.release(old);
            assertEquals("a", next.get(30, TimeUnit.SECONDS).name);
        } finally {
            pool.shutdownNow();
        }
    }
}
