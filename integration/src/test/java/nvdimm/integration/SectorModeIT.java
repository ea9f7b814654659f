package nvdimm.integration;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;

import javax.inject.Inject;

import nvdimm.btt.BttDevice;
import nvdimm.bus.DeviceCore;
import nvdimm.emul.ImageAttacher;
import nvdimm.emul.LabelSize;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.Namespaces;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Sector mode in the assembled runtime: a label-less namespace of the emulated bus put into sector mode moves
 * data through {@code pmem0s} that survives disable/enable and the BTT bundle's restart, goes raw and back as
 * ndctl reconfigures it; a Linux guest's labeled v1.2 image comes up in sector mode, reads the sectors its
 * {@code .sha256} lists, and keeps what is written across a detach and re-attach.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class SectorModeIT {

    static final String EMUL_CFG = """
            dimms = 1
            dimm.size = 64M
            label.size = 0
            regions = 0
            backing = memory
            """;
    static final String V12 = "kernel-btt-labeled-v1.2-4096";

    @Inject
    BundleContext context;

    @Inject
    DeviceCore core;

    @Inject
    Namespaces namespaces;

    @Inject
    ImageAttacher images;

    @Inject
    nvdimm.namespace.label.LabelAreas labels;

    @Configuration
    public Option[] config() {
        Path image = LinuxImages.decompress(V12);
        return OptionUtils.combine(Runtime.options(Map.of("nvdimm.emul-it.cfg", EMUL_CFG)),
                systemProperty("nvdimm.it.image").value(image.toString()),
                systemProperty("nvdimm.it.sha256").value(LinuxImages.DIR.resolve(V12 + ".sha256").toString()));
    }

    static NamespaceSpec spec(NamespaceMode mode, Integer sectorSize) {
        return new NamespaceSpec(Optional.empty(), OptionalLong.empty(), mode, Optional.empty(), Optional.empty(),
                sectorSize == null ? OptionalInt.empty() : OptionalInt.of(sectorSize));
    }

    Optional<BlockDevice> blockDevice(String name) {
        try {
            for (ServiceReference<BlockDevice> ref : context.getServiceReferences(BlockDevice.class, null)) {
                BlockDevice d = context.getService(ref);
                if (d != null && d.name().equals(name) && d.isActive()) {
                    return Optional.of(d);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    BlockDevice awaitDisk(String name) throws InterruptedException {
        Waits.until(name + " to be published", () -> blockDevice(name).isPresent());
        return blockDevice(name).orElseThrow();
    }

    Optional<BttDevice> btt(String namespace) {
        try {
            for (ServiceReference<BttDevice> ref : context.getServiceReferences(BttDevice.class, null)) {
                BttDevice d = context.getService(ref);
                if (d != null && d.namespace().equals(namespace)) {
                    return Optional.of(d);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    /** The BttDevice service of a namespace; published beside its BlockDevice, in no particular order. */
    BttDevice awaitBtt(String namespace) throws InterruptedException {
        Waits.until("the BTT of " + namespace, () -> btt(namespace).isPresent());
        return btt(namespace).orElseThrow();
    }

    static byte[] read(BlockDevice d, long sector, int bytes) {
        byte[] b = new byte[bytes];
        d.read(sector, MemorySegment.ofArray(b));
        return b;
    }

    Bundle bttBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("nvdimm.btt")).findFirst()
                .orElseThrow();
    }

    @Test
    public void aSectorNamespaceLivesThroughDisableEnableRawAndBackAndTheBundlesRestart() throws Exception {
        Waits.until("namespace0.0", () -> namespaces.find("namespace0.0").isPresent());
        NamespaceInfo info = namespaces.reconfigure("namespace0.0", spec(NamespaceMode.SECTOR, 4096), true);
        assertEquals(NamespaceMode.SECTOR, info.mode());
        assertEquals(Optional.of("pmem0s"), info.blockdev());
        BlockDevice pmem0s = awaitDisk("pmem0s");
        assertFalse(blockDevice("pmem0").isPresent());
        assertEquals(4096, pmem0s.sectorSize());
        byte[] data = new byte[3 * 4096];
        new Random(7).nextBytes(data);
        pmem0s.write(3, MemorySegment.ofArray(data));
        pmem0s.flush();
        assertArrayEquals(data, read(pmem0s, 3, data.length));
        UUID uuid = awaitBtt("namespace0.0").uuid();

        namespaces.disable("namespace0.0");
        assertFalse(blockDevice("pmem0s").isPresent());
        namespaces.enable("namespace0.0");
        assertArrayEquals(data, read(awaitDisk("pmem0s"), 3, data.length));
        assertEquals(uuid, awaitBtt("namespace0.0").uuid());

        Bundle bundle = bttBundle();
        bundle.stop();
        assertFalse(blockDevice("pmem0s").isPresent());
        assertFalse("a sector namespace never shows raw", blockDevice("pmem0").isPresent());
        bundle.start();
        assertArrayEquals(data, read(awaitDisk("pmem0s"), 3, data.length));

        NamespaceInfo raw = namespaces.reconfigure("namespace0.0", spec(NamespaceMode.RAW, null), true);
        assertEquals(NamespaceMode.RAW, raw.mode());
        BlockDevice pmem0 = awaitDisk("pmem0");
        assertFalse(blockDevice("pmem0s").isPresent());
        assertArrayEquals("the info block is zeroed", new byte[8192], read(pmem0, 0, 8192));

        namespaces.reconfigure("namespace0.0", spec(NamespaceMode.SECTOR, 512), true);
        BlockDevice again = awaitDisk("pmem0s");
        assertEquals(512, again.sectorSize());
        assertNotEquals(uuid, awaitBtt("namespace0.0").uuid());
        assertEquals(1, core.devices().stream().filter(d -> d.name().startsWith("btt")).count());
    }

    @Test
    public void aLinuxImageComesUpInSectorModeAndKeepsItsDataAcrossAReattach() throws Exception {
        Path image = Path.of(System.getProperty("nvdimm.it.image"));
        images.attach(image, LabelSize.ofBytes(128 << 10), "linux", 0);
        Waits.until("the image's sector namespace", () -> namespaces.list().stream()
                .anyMatch(n -> n.mode() == NamespaceMode.SECTOR && n.blockdev().isPresent()));
        NamespaceInfo ns = namespaces.list().stream().filter(n -> n.mode() == NamespaceMode.SECTOR).findFirst()
                .orElseThrow();
        String blockdev = ns.blockdev().orElseThrow();
        BlockDevice disk = awaitDisk(blockdev);
        assertEquals(Optional.of(UUID.fromString("d557b2bc-e56c-11f1-9747-cb868faa0a78")), ns.uuid());
        BttDevice btt = awaitBtt(ns.dev());
        assertEquals(UUID.fromString("d5f69a3a-e56c-11f1-9747-cb868faa0a78"), btt.uuid());
        assertEquals(49205248L, btt.capacity());
        assertEquals("2.0", btt.version());
        assertEquals(4096, disk.sectorSize());

        List<String> lines = Files.readAllLines(Path.of(System.getProperty("nvdimm.it.sha256")));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        int checked = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("all")) { // the hash of the listed sectors, in order
                assertEquals("the listed sectors together", f[1], HexFormat.of().formatHex(all.digest()));
                continue;
            }
            if (f.length != 2 || !f[0].matches("\\d+")) {
                continue;
            }
            long lba = Long.parseLong(f[0]);
            byte[] sector = read(disk, lba, 4096);
            all.update(sector);
            assertEquals("LBA " + lba, f[1], HexFormat.of().formatHex(sha.digest(sector)));
            checked++;
        }
        assertTrue(checked > 100);

        byte[] mine = new byte[4096];
        new Random(12).nextBytes(mine);
        disk.write(1, MemorySegment.ofArray(mine));
        disk.flush();
        images.detach("linux");
        Waits.until(blockdev + " to go", () -> blockDevice(blockdev).isEmpty());
        images.attach(image, LabelSize.ofBytes(128 << 10), "linux", 0);
        BlockDevice back = awaitDisk(blockdev);
        assertArrayEquals(mine, read(back, 1, 4096));
    }

    /**
     * A namespace created in sector mode on v1.2 labels gets a BTT v2.0 at offset 0 (the BTT2 claim class) whose
     * parent is the namespace; destroying it takes the BTT down and zeroes its info block.
     */
    @Test
    public void aSectorNamespaceOnV12LabelsIsABtt20AndDestroyingItZeroesItsInfoBlock() throws Exception {
        Path blank = Files.createTempFile("nvdimm-it-blank-", ".img");
        try (var ch = java.nio.channels.FileChannel.open(blank, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (64L << 20) + (128 << 10) - 1);
        }
        images.attach(blank, LabelSize.ofBytes(128 << 10), "blank", 1);
        Waits.until("the blank image's bus", () -> core.buses().stream().anyMatch(b -> b.provider().equals("emul.blank")
                && !b.regions().isEmpty()));
        core.waitProbeIdle();
        nvdimm.bus.RegionDevice region = core.buses().stream().filter(b -> b.provider().equals("emul.blank"))
                .findFirst().orElseThrow().regions().getFirst();
        core.disable(region);
        labels.init(region.dimms().getFirst().name(), nvdimm.namespace.label.LabelVersion.V1_2, false);
        core.enable(region);
        core.waitProbeIdle();
        NamespaceInfo created = namespaces.create(new NamespaceSpec(Optional.of(region.name()),
                OptionalLong.of(32L << 20), NamespaceMode.SECTOR, Optional.empty(), Optional.of("db"),
                OptionalInt.empty()));
        assertEquals(NamespaceMode.SECTOR, created.mode());
        BlockDevice disk = awaitDisk(created.blockdev().orElseThrow());
        assertEquals(4096, disk.sectorSize());
        BttDevice btt = awaitBtt(created.dev());
        assertEquals("2.0", btt.version());
        assertEquals(created.uuid().orElseThrow(), btt.parentUuid());
        Namespace ns = namespaces.find(created.dev()).orElseThrow();
        nvdimm.btt.BttInfoBlock info = nvdimm.btt.BttInfoBlock.read(ns).orElseThrow();
        assertEquals(0, info.offset());
        assertEquals(btt.uuid(), info.uuid());
        assertEquals(nvdimm.namespace.ClaimClass.BTT2, ns.claimClass());

        namespaces.destroy(created.dev(), true);
        assertFalse(blockDevice(created.blockdev().orElseThrow()).isPresent());
        NamespaceInfo raw = namespaces.create(new NamespaceSpec(Optional.of(region.name()), OptionalLong.empty(),
                NamespaceMode.RAW, Optional.empty(), Optional.empty(), OptionalInt.empty())); // all of it, from 0
        BlockDevice rawDisk = awaitDisk(raw.blockdev().orElseThrow());
        assertArrayEquals("the old BTT's info block was zeroed", new byte[8192], read(rawDisk, 0, 8192));
        images.detach("blank");
    }
}
