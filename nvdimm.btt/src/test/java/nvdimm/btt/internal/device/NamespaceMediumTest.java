package nvdimm.btt.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.internal.BttTestStack;
import nvdimm.region.Badblocks;
import nvdimm.region.Region;
import nvdimm.region.internal.BttTestBuses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The namespace as the BTT's medium: reads of a bad block fail with EIO and touch nothing, the engine's writes
 * are atomic (nothing cleared: on the media, then EIO) and the format layer's clear as Linux's do, all persisted, the media errors clear a 512-byte aligned range
 * through the provider, and a closed view refuses everything with ENXIO.
 */
class NamespaceMediumTest {
    static final long MIB = 1L << 20;
    BttTestStack stack;
    Namespace ns;

    @BeforeEach
    void aNamespaceWithABadSector() {
        stack = new BttTestStack(BttTestBuses.labelLess("m", 32 * MIB));
        Region region = stack.region("region0");
        region.injectError(8192, 512);
        region.startScrub();
        region.waitScrub(Duration.ofSeconds(10));
        ns = stack.ops().find("namespace0.0").orElseThrow();
        assertEquals(List.of(new Badblocks.Range(16, 1)), ns.badblocks());
    }

    @AfterEach
    void close() {
        stack.close();
    }

    static void refused(Errno errno, Executable call) {
        NvdimmException e = assertThrows(NvdimmException.class, call);
        assertEquals(errno, e.errno(), e::getMessage);
    }

    @Test
    void readsOfABadBlockFailAndWritesLandAtomicallyThenFail() {
        NamespaceMedium m = new NamespaceMedium(ns);
        assertEquals(32 * MIB, m.size());
        assertEquals("namespace0.0", m.name());
        byte[] b = new byte[512];
        refused(Errno.EIO, () -> m.read(8192, b));
        refused(Errno.EIO, () -> m.readInt(8192 + 4));
        refused(Errno.EIO, () -> m.write(8192, MemorySegment.ofArray(new byte[512]))); // the engine's: atomic
        refused(Errno.EIO, () -> m.writeLong(8192 + 8, 7));
        refused(Errno.EIO, () -> m.write(8192, new byte[] {1, 2, 3}, 0, 3)); // not 512-byte aligned
        assertTrue(ns.isBad(8192, 512), "an atomic or unaligned write clears nothing");
        m.write(4096, new byte[] {9}, 0, 1);
        m.writeLong(4104, 0x55);
        m.persist(4096, 16);
        assertEquals(0x55, m.readLong(4104));
        m.read(4096, b, 0, 1);
        assertEquals(9, b[0]);
        refused(Errno.EINVAL, () -> m.read(0, b, 500, 100));
        refused(Errno.ENXIO, () -> m.persist(32 * MIB - 8, 16));
        refused(Errno.EINVAL, () -> m.persist(-1, 1));
        m.drain();
        m.sync();
        assertEquals(List.of(), stack.problems());
    }

    /** The format layer's byte-array writes are Linux's flags-0 arena_write_bytes: aligned, they clear. */
    @Test
    void anAlignedByteArrayWriteClearsAsLinuxsMetadataWritesDo() {
        NamespaceMedium m = new NamespaceMedium(ns);
        m.write(8192, new byte[512]);
        assertEquals(List.of(), ns.badblocks());
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void theMediaErrorsClearAnAlignedRangeThroughTheProvider() {
        NamespaceMediaErrors errors = new NamespaceMediaErrors(ns);
        NamespaceMedium m = new NamespaceMedium(ns);
        assertTrue(errors.isBad(8192 - 10, 20));
        assertFalse(errors.isBad(0, 8192));
        errors.clear(m, 8192, 4096, MemorySegment.ofArray(new byte[4096]));
        assertFalse(errors.isBad(8192, 512));
        assertEquals(List.of(), ns.badblocks());
        byte[] b = new byte[512];
        m.read(8192, b);
        assertEquals(0, b[0]);
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void aClosedViewRefusesEverythingWithEnxio() {
        NamespaceMedium m = new NamespaceMedium(ns);
        m.close();
        m.close();
        refused(Errno.ENXIO, () -> m.read(0, new byte[8]));
        refused(Errno.ENXIO, () -> m.write(0, MemorySegment.ofArray(new byte[8])));
        refused(Errno.ENXIO, () -> m.readInt(0));
        refused(Errno.ENXIO, () -> m.writeLong(0, 1));
        refused(Errno.ENXIO, () -> m.persist(0, 8));
        refused(Errno.ENXIO, m::drain);
        assertEquals(32 * MIB, m.size());
    }
}
