package nvdimm.virtio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.virtio.VirtioFault;
import nvdimm.virtio.VirtioStatus;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A device on a real backing file: the bus it shows, its flush through the host, faults and freeze. */
@Timeout(60)
class VirtioPmemDeviceTest {

    private static final long SIZE = 16L << 20;

    @TempDir
    Path dir;
    private final List<LockdepReport> reports = new ArrayList<>();
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> {
        synchronized (reports) {
            reports.add(r);
        }
    });
    private final List<VirtioPmemDevice> opened = new ArrayList<>();
    /** Its own threads: the common pool may have one, and these flushers block. */
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        pool.shutdownNow();
        for (VirtioPmemDevice d : opened) {
            d.close();
        }
        synchronized (reports) {
            assertEquals(List.of(), reports);
        }
    }

    private VirtioSpec spec(String name, int queueSize) {
        return new VirtioSpec("nvdimm.virtio~" + name, name, dir.resolve(name + ".img"), SIZE, queueSize, 1);
    }

    private VirtioPmemDevice open(VirtioSpec spec) {
        VirtioPmemDevice d = VirtioPmemDevice.open(spec, 1L << 40, lockdep);
        opened.add(d);
        return d;
    }

    private static void flush(RegionDescriptor region) {
        try {
            region.flushHandler().flush().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (NvdimmException) e.getCause();
        }
    }

    @Test
    void showsAsAVirtioPmemBusWithOneRegionNoDimmsAndAnAsynchronousFlush() throws Exception {
        VirtioPmemDevice d = open(spec("vp", 128));
        assertEquals("virtio-pmem", d.bus().name());
        assertEquals("vp", d.name());
        assertEquals(List.of(), d.bus().dimms());
        RegionDescriptor r = d.bus().regions().getFirst();
        assertEquals(1, d.bus().regions().size());
        assertEquals(List.of(), r.mappings());
        assertEquals(SIZE, r.size());
        assertEquals(PersistenceDomain.UNKNOWN, r.persistenceDomain());
        assertNotNull(r.flushHandler());
        assertEquals(16L << 20, r.align());
        assertEquals(SIZE, Files.size(dir.resolve("vp.img")));
        assertEquals(Errno.ENOTTY, assertThrows(NvdimmException.class, () -> d.bus().commands().startScrub(0, 4096)).errno());
        assertEquals(List.of(), d.bus().commands().injectedErrors());
    }

    @Test
    void aFlushIsAnsweredByAForceOfTheBackingFileAndTheDataIsInTheFile() throws Exception {
        VirtioPmemDevice d = open(spec("vp", 128));
        RegionDescriptor r = d.bus().regions().getFirst();
        byte[] data = "durable through the host".getBytes();
        r.medium().write(8192, data, 0, data.length);
        flush(r);
        assertTrue(d.host().forces() >= 1);
        VirtioStatus s = d.status();
        assertEquals(1, s.flushes());
        assertEquals(1, s.completed());
        assertEquals(0, s.failed());
        assertEquals(0, s.inFlight());
        assertFalse(s.broken());
        byte[] onFile = new byte[data.length];
        System.arraycopy(Files.readAllBytes(dir.resolve("vp.img")), 8192, onFile, 0, data.length);
        assertArrayEquals(data, onFile);
    }

    @Test
    void failFlushFailsTheNextNFlushesWithEioThenFlushesWork() {
        VirtioPmemDevice d = open(spec("vp", 128));
        RegionDescriptor r = d.bus().regions().getFirst();
        d.inject(VirtioFault.FAIL_FLUSH, 0, 2);
        assertEquals(List.of("fail-flush --count 2"), d.status().faults());
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, () -> flush(r)).errno());
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, () -> flush(r)).errno());
        flush(r);
        assertEquals(2, d.status().failed());
        assertFalse(d.status().broken(), "a host failure does not break the queue");
    }

    @Test
    void aFailedKickBreaksTheQueueEveryLaterFlushFailsAtOnceAndClearResetsIt() {
        VirtioPmemDevice d = open(spec("vp", 128));
        RegionDescriptor r = d.bus().regions().getFirst();
        d.inject(VirtioFault.KICK_FAIL, 0, 1);
        NvdimmException e = assertThrows(NvdimmException.class, () -> flush(r));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("kick"), e.getMessage());
        assertTrue(d.status().broken());
        long forces = d.host().forces();
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, () -> flush(r)).errno());
        assertEquals(forces, d.host().forces(), "a broken queue sends nothing");
        d.clear();
        assertFalse(d.status().broken());
        assertEquals(List.of(), d.status().faults());
        flush(r);
    }

    @Test
    void breakFailsEveryFlushWithEioUntilCleared() {
        VirtioPmemDevice d = open(spec("vp", 128));
        RegionDescriptor r = d.bus().regions().getFirst();
        d.inject(VirtioFault.BREAK, 0, 0);
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, () -> flush(r)).errno());
        d.clear();
        flush(r);
    }

    @Test
    void aSilentHostHoldsFlushesUntilClearedAndFreezeReleasesThemWithEio() throws Exception {
        VirtioPmemDevice d = open(spec("vp", 4));
        RegionDescriptor r = d.bus().regions().getFirst();
        d.inject(VirtioFault.SILENT, 0, 0);
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> flush(r), pool);
        awaitFlushes(d, 1);
        assertFalse(held.isDone());
        d.clear();
        held.get(30, TimeUnit.SECONDS);

        d.inject(VirtioFault.SILENT, 0, 0);
        List<CompletableFuture<Void>> flushers = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // more than the 4 descriptors: some wait for space
            flushers.add(CompletableFuture.runAsync(() -> flush(r), pool));
        }
        awaitFlushes(d, 5);
        d.freeze();
        for (CompletableFuture<Void> f : flushers) {
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(30, TimeUnit.SECONDS));
            assertEquals(Errno.EIO, ((NvdimmException) e.getCause()).errno());
        }
        assertEquals(Errno.EIO, assertThrows(NvdimmException.class, () -> flush(r)).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, d::clear).errno());
    }

    @Test
    void delayAndLateSlowFlushesDownButTheyComplete() {
        VirtioPmemDevice d = open(spec("vp", 128));
        RegionDescriptor r = d.bus().regions().getFirst();
        d.inject(VirtioFault.DELAY, 20, 0);
        d.inject(VirtioFault.LATE, 20, 0);
        assertEquals(List.of("delay 20", "late 20"), d.status().faults());
        flush(r);
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> d.inject(VirtioFault.DELAY, -1, 0))
                .errno());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> d.inject(VirtioFault.FAIL_FLUSH, 0, 0))
                .errno());
    }

    @Test
    void anExistingFileOfAnotherSizeIsRefusedNamingSizeAndLeftAlone() throws Exception {
        Path file = dir.resolve("vp.img");
        Files.write(file, new byte[8192]);
        NvdimmException e = assertThrows(NvdimmException.class, () -> open(spec("vp", 128)));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("nvdimm.virtio~vp: size: " + file + " has 8192 bytes"), e.getMessage());
        assertEquals(8192, Files.size(file));
    }

    @Test
    void aFailedOpenRemovesTheFoldersAndFileItCreated() {
        Path deep = dir.resolve("a/b/vp.img");
        VirtioSpec bad = new VirtioSpec("nvdimm.virtio~vp", "vp", deep, Long.MAX_VALUE & ~4095L, 128, 1);
        assertThrows(NvdimmException.class, () -> open(bad));
        assertFalse(Files.exists(dir.resolve("a")));
    }

    @Test
    void dataSurvivesClosingAndReopeningTheBackingFile() {
        VirtioPmemDevice d = open(spec("vp", 128));
        Medium m = d.bus().regions().getFirst().medium();
        m.write(4096, new byte[] {1, 2, 3}, 0, 3);
        flush(d.bus().regions().getFirst());
        opened.remove(d);
        d.close();
        VirtioPmemDevice again = open(spec("vp", 128));
        byte[] back = new byte[3];
        again.bus().regions().getFirst().medium().read(4096, back, 0, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, back);
    }

    private static void awaitFlushes(VirtioPmemDevice d, int n) throws InterruptedException {
        while (d.status().flushes() + d.status().spaceWaiters() < n) {
            Thread.sleep(1);
        }
    }
}
