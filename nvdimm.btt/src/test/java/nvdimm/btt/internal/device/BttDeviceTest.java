package nvdimm.btt.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;

import nvdimm.btt.BttDevice;
import nvdimm.btt.BttInfoBlock;
import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.internal.BttTestStack;
import nvdimm.region.internal.BttTestBuses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A BTT as a device of the stack, on a label-less 64 MiB region: sector mode formats a BTT and binds its device
 * before the reconfiguration returns, the block device {@code pmem0s} moves data that survives disable/enable and
 * a restart, reconfiguring to raw zeroes the info blocks and brings {@code pmem0} back, and nothing calls into
 * the framework under a device lock or trips the validator.
 */
class BttDeviceTest {
    static final long MIB = 1L << 20;
    BttTestStack stack;

    @BeforeEach
    void labelLessRegion() {
        stack = new BttTestStack(BttTestBuses.labelLess("t", 64 * MIB));
    }

    @AfterEach
    void close() {
        stack.close();
    }

    static NamespaceSpec sector(Integer sectorSize) {
        return new NamespaceSpec(Optional.empty(), OptionalLong.empty(), NamespaceMode.SECTOR, Optional.empty(),
                Optional.empty(), sectorSize == null ? OptionalInt.empty() : OptionalInt.of(sectorSize));
    }

    static NamespaceSpec raw() {
        return new NamespaceSpec(Optional.empty(), OptionalLong.empty(), NamespaceMode.RAW, Optional.empty(),
                Optional.empty(), OptionalInt.empty());
    }

    BlockDevice disk(String name) {
        return stack.disk(name).orElseThrow(() -> new AssertionError(name + " is not published"));
    }

    BttDevice bttOf(String namespace) {
        return stack.publisher.services(BttDevice.class).stream().filter(b -> b.namespace().equals(namespace))
                .findFirst().orElseThrow(() -> new AssertionError("no BTT device on " + namespace));
    }

    List<Device> btts() {
        return stack.core.devices().stream().filter(d -> d.type() == DeviceType.BTT).toList();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    byte[] read(BlockDevice d, long sector, int bytes) {
        byte[] b = new byte[bytes];
        d.read(sector, MemorySegment.ofArray(b));
        return b;
    }

    @Test
    void sectorModeBindsTheBttAndItsBlockDeviceBeforeItReturns() {
        NamespaceInfo info = stack.ops().reconfigure("namespace0.0", sector(null), true);
        assertEquals(NamespaceMode.SECTOR, info.mode());
        assertEquals(Optional.of("pmem0s"), info.blockdev());
        assertEquals(OptionalInt.of(4096), info.sectorSize());
        BlockDevice pmem0s = disk("pmem0s");
        assertEquals(4096, pmem0s.sectorSize());
        assertFalse(stack.rawDisks.containsKey("pmem0"), "the raw disk is withdrawn while the BTT claims it");
        BttDevice btt = bttOf("namespace0.0");
        assertEquals("btt0.0", btt.device());
        assertEquals("pmem0s", btt.blockdev());
        assertEquals("1.1", btt.version());
        assertEquals(new UUID(0, 0), btt.parentUuid());
        assertEquals(btt.sectors() * 4096, btt.capacity());
        assertEquals(pmem0s.sectors(), btt.sectors());
        Namespace ns = stack.ops().find("namespace0.0").orElseThrow();
        assertEquals(Optional.of("btt0.0"), ns.claimedBy());
        BttInfoBlock ib = BttInfoBlock.read(ns).orElseThrow();
        assertEquals(4096, ib.offset());
        assertEquals(btt.uuid(), ib.uuid());
        assertEquals(4096, ib.externalLbasize());
        assertEquals(1, btts().size());
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void dataSurvivesDisableEnableAndARestart() {
        stack.ops().reconfigure("namespace0.0", sector(512), true);
        BlockDevice d = disk("pmem0s");
        byte[] data = random(4 * 512, 1);
        d.write(10, MemorySegment.ofArray(data));
        d.write(d.sectors() - 1, MemorySegment.ofArray(random(512, 2)));
        d.flush();
        UUID uuid = bttOf("namespace0.0").uuid();

        stack.ops().disable("namespace0.0");
        assertFalse(d.isActive());
        assertThrows(NvdimmException.class, () -> d.read(10, MemorySegment.ofArray(new byte[512])));
        assertTrue(stack.disk("pmem0s").isEmpty());
        assertTrue(btts().isEmpty(), "the BTT device goes with its namespace: " + btts());

        stack.ops().enable("namespace0.0");
        BlockDevice again = disk("pmem0s"); // bound by the time enable returns
        assertArrayEquals(data, read(again, 10, 4 * 512));
        assertEquals(uuid, bttOf("namespace0.0").uuid());
        assertFalse(stack.rawDisks.containsKey("pmem0"));

        stack.restart();
        BlockDevice afterRestart = disk("pmem0s");
        assertArrayEquals(data, read(afterRestart, 10, 4 * 512));
        assertArrayEquals(random(512, 2), read(afterRestart, afterRestart.sectors() - 1, 512));
        assertEquals(uuid, bttOf("namespace0.0").uuid());
        assertEquals(NamespaceMode.SECTOR, stack.ops().info("namespace0.0").orElseThrow().mode());
        assertEquals(OptionalInt.of(512), stack.ops().info("namespace0.0").orElseThrow().sectorSize());
        assertEquals(1, btts().size());
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void reconfiguringToRawZeroesTheInfoBlocksAndBackToSectorFormatsAgain() {
        stack.ops().reconfigure("namespace0.0", sector(4096), true);
        UUID first = bttOf("namespace0.0").uuid();
        NvdimmException busy = assertThrows(NvdimmException.class,
                () -> stack.ops().reconfigure("namespace0.0", raw(), false));
        assertEquals(Errno.EBUSY, busy.errno());
        assertTrue(disk("pmem0s").isActive(), "a refused reconfiguration leaves the BTT alone");

        NamespaceInfo rawInfo = stack.ops().reconfigure("namespace0.0", raw(), true);
        assertEquals(NamespaceMode.RAW, rawInfo.mode());
        assertEquals(Optional.of("pmem0"), rawInfo.blockdev());
        assertTrue(btts().isEmpty(), btts().toString());
        assertTrue(stack.disk("pmem0s").isEmpty());
        byte[] head = read(disk("pmem0"), 0, 8192 * 2);
        assertArrayEquals(new byte[8192], java.util.Arrays.copyOf(head, 8192), "ndctl zeroes the first 8 KiB");
        assertTrue(BttInfoBlock.read(stack.ops().find("namespace0.0").orElseThrow()).isEmpty());

        stack.ops().reconfigure("namespace0.0", sector(520), true);
        BttDevice again = bttOf("namespace0.0");
        assertEquals(520, again.sectorSize());
        assertNotEquals(first, again.uuid());
        assertEquals(1, btts().size());
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void aNamespaceGetsOneBttDeviceAndASecondFormatIsRefused() {
        stack.ops().reconfigure("namespace0.0", sector(null), true);
        Namespace ns = stack.ops().find("namespace0.0").orElseThrow();
        stack.btt.namespaceAdded(ns); // a second publication event: nothing new
        assertEquals(1, btts().size());
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> stack.btt.format(ns, 512, Optional.empty()));
        assertEquals(Errno.EBUSY, e.errno());
        assertTrue(e.getMessage().contains("btt0.0"), e.getMessage());
        assertEquals(4096, disk("pmem0s").sectorSize(), "nothing was written");
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void theBttDevicesGoWhenTheBundleStopsAndComeBackWithItsData() {
        stack.ops().reconfigure("namespace0.0", sector(4096), true);
        byte[] data = random(4096, 3);
        disk("pmem0s").write(5, MemorySegment.ofArray(data));
        stack.stopModeProvider();
        stack.core.removeDriver(stack.btt);
        stack.btt.detachAll();
        stack.idle();
        assertTrue(btts().isEmpty());
        assertTrue(stack.disk("pmem0s").isEmpty());
        assertFalse(stack.rawDisks.containsKey("pmem0"), "a namespace in sector mode never shows raw");
        stack.core.addDriver(stack.btt);
        stack.startModeProvider();
        stack.btt.namespaceAdded(stack.ops().find("namespace0.0").orElseThrow());
        assertArrayEquals(data, read(disk("pmem0s"), 5, 4096));
        assertEquals(List.of(), stack.problems());
    }

    @Test
    void theSectorDevicesDataPathAllocatesNothing() {
        stack.ops().reconfigure("namespace0.0", sector(4096), true);
        BlockDevice d = disk("pmem0s");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        MemorySegment buf = MemorySegment.ofArray(new byte[4096]);
        Runnable io = () -> {
            d.write(7, buf);
            d.read(7, buf);
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
        assertTrue(allocated < rounds, allocated + " bytes allocated by " + rounds + " rounds of BTT I/O");
        assertEquals(0, buf.get(ValueLayout.JAVA_BYTE, 0) & 0); // keeps buf alive
    }
}
