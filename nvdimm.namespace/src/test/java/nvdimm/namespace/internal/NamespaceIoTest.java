package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.testing.CrashRecorder;
import nvdimm.bus.testing.RecordingMedium;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespace;
import nvdimm.region.Badblocks;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Byte I/O ({@code nsio_rw_bytes}) and the raw pmem disk over a recording medium: bad blocks fail reads
 * with EIO and fill nothing, aligned non-atomic writes clear them, every write is persisted when it
 * returns, and the disk's data path allocates nothing.
 */
class NamespaceIoTest extends NamespaceTestBase {
    static final long POISON = 16 * MIB + 4096; // region0: sector 8 of namespace0.1

    final CrashRecorder recorder = new CrashRecorder("io");
    RecordingMedium medium;
    Namespace ns;
    BlockDevice pmem;

    @BeforeEach
    void twoNamespacesAndAPoisonedSector() {
        TestBus bus = TestBus.builder("io").dimms(2).media((name, size) -> {
            RecordingMedium m = recorder.medium(name, size);
            if (medium == null) {
                medium = m;
            }
            return m;
        }).region(0, 1).build();
        labels.labeled("region0");
        bus.commands.poison(TestBus.BASE + POISON, 512);
        start(bus);
        namespaces.create(spec("region0", 16 * MIB));
        namespaces.create(spec("region0", 16 * MIB));
        ns = namespaces.find("namespace0.1").orElseThrow();
        pmem = disks.disk("pmem0.1").orElseThrow();
    }

    static MemorySegment filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return MemorySegment.ofArray(b);
    }

    byte[] onMedium(long offset, int size) {
        byte[] b = new byte[size];
        medium.read(offset, b);
        return b;
    }

    @Test
    void badblocksAreTheRegionsClippedAndShifted() {
        assertEquals(List.of(new Badblocks.Range(8, 1)), ns.badblocks());
        assertEquals(List.of(), namespaces.find("namespace0.0").orElseThrow().badblocks());
        assertEquals(List.of(new Badblocks.Range(8, 1)), info("namespace0.1").badblocks());
        assertEquals(List.of(new Badblocks.Range(8, 1)), pmem.badblocks());
        assertClean();
    }

    @Test
    void aByteReadOfABadBlockFailsWithEioAndFillsNothing() {
        MemorySegment dst = filled(100, 0x5a);
        refused(Errno.EIO, () -> ns.read(4096 + 300, dst));
        assertTrue(dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE).length == 100);
        for (byte b : dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)) {
            assertEquals(0x5a, b);
        }
        ns.read(4096 - 100, filled(100, 0)); // just before it: fine
        assertClean();
    }

    @Test
    void anAlignedWriteClearsTheBadBlocksThroughTheProviderAndPersists() {
        ns.write(4096, filled(512, 7), false);
        assertEquals(List.of(), ns.badblocks());
        assertEquals(1, buses.getFirst().commands.cleared.size());
        assertEquals(0, medium.pendingWords());
        MemorySegment back = filled(512, 0);
        ns.read(4096, back);
        assertArrayEquals(filled(512, 7).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                back.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        assertClean();
    }

    @Test
    void anAtomicOrUnalignedWriteLandsButFailsWithEioAndTheBadBlocksStay() {
        refused(Errno.EIO, () -> ns.write(4096, filled(512, 3), true));
        assertEquals(3, onMedium(POISON, 1)[0]);
        refused(Errno.EIO, () -> ns.write(4096 + 8, filled(64, 4), false));
        assertEquals(4, onMedium(POISON + 8, 1)[0]);
        assertEquals(0, medium.pendingWords());
        assertEquals(List.of(new Badblocks.Range(8, 1)), ns.badblocks());
        assertEquals(List.of(), buses.getFirst().commands.cleared);
        assertClean();
    }

    @Test
    void byteIoRefusesOutsideTheNamespaceAndAfterDisable() {
        refused(Errno.EINVAL, () -> ns.read(-1, filled(8, 0)));
        refused(Errno.ENXIO, () -> ns.read(16 * MIB - 4, filled(8, 0)));
        refused(Errno.ENXIO, () -> ns.write(16 * MIB, filled(8, 0), false));
        ns.write(0, filled(8, 9), false);
        assertEquals(9, onMedium(16 * MIB, 1)[0]); // at the namespace's offset
        ns.flush();
        namespaces.disable("namespace0.1");
        refused(Errno.ENXIO, () -> ns.read(0, filled(8, 0)));
        refused(Errno.ENXIO, ns::flush);
        refused(Errno.ENXIO, () -> pmem.read(0, filled(512, 0)));
        assertFalse(pmem.isActive());
        assertClean();
    }

    @Test
    void theRawDiskMovesWholeSectorsAtTheNamespaceOffsetPersisted() {
        assertEquals("pmem0.1", pmem.name());
        assertEquals(16 * MIB / 512, pmem.sectors());
        pmem.write(2, filled(1024, 0x11));
        assertEquals(0, medium.pendingWords());
        assertEquals(0x11, onMedium(16 * MIB + 1024, 1)[0]);
        assertEquals(0x11, onMedium(16 * MIB + 2047, 1)[0]);
        MemorySegment a = filled(512, 0);
        MemorySegment b = filled(512, 0);
        pmem.read(2, new MemorySegment[] {a, b});
        assertEquals(0x11, a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        assertEquals(0x11, b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 511));
        refused(Errno.EINVAL, () -> pmem.write(0, filled(100, 0)));
        refused(Errno.ENXIO, () -> pmem.read(pmem.sectors(), filled(512, 0)));
        refused(Errno.ENXIO, () -> pmem.read(-1, filled(512, 0)));
        refused(Errno.EINVAL, () -> pmem.read(0, filled(512, 0).asReadOnly()));
        pmem.flush();
        assertClean();
    }

    @Test
    void aRawDiskReadOfABadBlockFailsAndAWriteClearsItAndSucceeds() {
        MemorySegment dst = filled(4096, 0x77);
        refused(Errno.EIO, () -> pmem.read(8, dst));
        assertEquals(0x77, dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        pmem.write(8, filled(4096, 0x22));
        assertEquals(List.of(), pmem.badblocks());
        pmem.read(8, dst);
        assertEquals(0x22, dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4095));
        assertEquals(List.of(), region("region0").badblocks().ranges());
        assertClean();
    }

    @Test
    void aRawDiskWriteFailsWithEioWhenTheProviderClearsNothing() {
        buses.getFirst().commands.clears = false;
        refused(Errno.EIO, () -> pmem.write(8, filled(512, 1)));
        assertEquals(List.of(new Badblocks.Range(8, 1)), pmem.badblocks());
        assertClean();
    }

    @Test
    void segmentRangeIoMovesOnlyThatRangeAndKeepsTheBadBlockRules() {
        MemorySegment src = filled(1024, 0);
        src.asSlice(256, 512).fill((byte) 0x31);
        ns.write(512, src, 256, 512, true);
        assertEquals(0x31, onMedium(16 * MIB + 512, 1)[0]);
        assertEquals(0, onMedium(16 * MIB + 1024, 1)[0]);
        assertEquals(0, medium.pendingWords());
        MemorySegment dst = filled(1024, 0x7f);
        ns.read(512, dst, 100, 512);
        assertEquals(0x7f, dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 99));
        assertEquals(0x31, dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 100));
        assertEquals(0x7f, dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 612));
        refused(Errno.EINVAL, () -> ns.read(0, dst, 600, 512));
        refused(Errno.EINVAL, () -> ns.write(0, src, -1, 8, false));
        refused(Errno.EIO, () -> ns.read(4096, dst, 0, 512));
        refused(Errno.EIO, () -> ns.write(4096, src, 0, 512, true)); // atomic: lands, not cleared
        assertEquals(0, onMedium(POISON, 1)[0]);
        ns.write(4096, src, 256, 512, false); // aligned, not atomic: clears
        assertEquals(List.of(), ns.badblocks());
        assertClean();
    }

    @Test
    void atomicLoadsAndStoresArePersistedAndFailWithEioOnABadBlock() {
        ns.writeLong(64, 0x1122334455667788L);
        ns.writeInt(72, 0xcafe);
        assertEquals(0, medium.pendingWords());
        assertEquals(0x1122334455667788L, ns.readLong(64));
        assertEquals(0xcafe, ns.readInt(72));
        assertEquals(0x88, onMedium(16 * MIB + 64, 1)[0] & 0xff);
        refused(Errno.EIO, () -> ns.readInt(4096 + 4));
        refused(Errno.EIO, () -> ns.readLong(4096 + 8));
        refused(Errno.EIO, () -> ns.writeLong(4096 + 8, 5)); // NVDIMM_IO_ATOMIC: on the media, then EIO
        assertEquals(5, onMedium(POISON + 8, 1)[0]);
        assertEquals(0, medium.pendingWords());
        refused(Errno.EIO, () -> ns.writeInt(4096, 6));
        assertEquals(List.of(new Badblocks.Range(8, 1)), ns.badblocks()); // nothing cleared
        refused(Errno.EINVAL, () -> ns.readInt(2));
        refused(Errno.ENXIO, () -> ns.readLong(16 * MIB));
        refused(Errno.EINVAL, () -> ns.writeInt(-4, 0));
        assertClean();
    }

    @Test
    void isBadAnswersForTheNamespacesOwnOffsets() {
        assertTrue(ns.isBad(4096, 512));
        assertTrue(ns.isBad(4000, 100));
        assertTrue(ns.isBad(4096 + 511, 1));
        assertFalse(ns.isBad(4096 + 512, 512));
        assertFalse(ns.isBad(0, 4096));
        assertFalse(ns.isBad(4096, 0));
        assertFalse(namespaces.find("namespace0.0").orElseThrow().isBad(4096, 512)); // region offset 4096 is namespace0.0's
        assertClean();
    }

    /** The segment-range and atomic forms allocate nothing per call either. */
    @Test
    void theByteIoFormsAllocateNothing() {
        TestBus bus = TestBus.builder("plain").dimms(1).region(0).build(); // a medium that records nothing
        buses.add(bus);
        core.addProvider(bus);
        idle();
        Namespace ns = namespaces.find("namespace1.0").orElseThrow();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemorySegment buf = MemorySegment.ofArray(new byte[8192]);
        Runnable io = () -> {
            ns.write(8192, buf, 4096, 4096, true);
            ns.read(8192, buf, 0, 4096);
            ns.writeLong(16384, 1);
            ns.writeInt(16392, 2);
            ns.readLong(16384);
            ns.readInt(16392);
            ns.isBad(8192, 4096);
        };
        for (int i = 0; i < 20_000; i++) {
            io.run();
        }
        int rounds = 10_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            io.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < rounds, allocated + " bytes allocated by " + rounds + " rounds of byte I/O");
        assertClean();
    }

    /** The data path allocates nothing per I/O: 4 KiB and 512 B sector reads and writes. */
    @Test
    void theRawDiskIoPathAllocatesNothing() {
        TestBus bus = TestBus.builder("plain").dimms(1).region(0).build();
        buses.add(bus);
        core.addProvider(bus);
        idle();
        BlockDevice disk = disks.disk("pmem1").orElseThrow();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemorySegment big = MemorySegment.ofArray(new byte[4096]);
        MemorySegment small = MemorySegment.ofArray(new byte[512]);
        Runnable io = () -> {
            disk.write(8, big);
            disk.read(8, big);
            disk.write(3, small);
            disk.read(3, small);
        };
        for (int i = 0; i < 20_000; i++) {
            io.run(); // warm up, so the measurement sees the compiled path
        }
        int rounds = 10_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            io.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < rounds, allocated + " bytes allocated by " + rounds + " rounds of I/O");
        assertClean();
    }
}
