package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static nvdimm.emul.internal.Fixtures.cfg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.emul.EmulConfig;
import nvdimm.lockdep.Lockdep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredBusTest {

    private static final long MIB = 1 << 20;
    private static final long SPA = 1L << 36;

    @TempDir
    Path data;

    private final Lockdep lockdep = Fixtures.lockdep();

    private EmulBus open(String pid, String text) {
        return ConfiguredBus.open(ConfigParser.parse(cfg(pid, text)), data, SPA, lockdep, System::nanoTime);
    }

    private static byte[] readFile(Path file, long offset, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // keep reading
            }
            return b.array();
        }
    }

    /** Blocks the file occupies on disk, in bytes (stat's %b counts 512-byte blocks). */
    private static long allocated(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return Long.parseLong(out) * 512;
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }

    /** Real NVDIMM poison survives a reboot; an emulated DIMM keeps its poison list beside its media. */
    @Test
    void injectedPoisonSurvivesReopeningTheBus() throws Exception {
        String cfg = "dimms = 3\ndimm.size = 16M\nlabel.size = 0\nregions = 0+1:4096,2";
        EmulBus bus = open("nvdimm.emul~p", cfg);
        long r0 = bus.regions().get(0).address();
        long r1 = bus.regions().get(1).address();
        bus.commands().injectError(r0 + 4096 - 512, 1024); // the last 512 bytes of DIMM 0's granule, the first of DIMM 1's
        bus.commands().injectError(r0 + 3 * 4096, 512); // DIMM 1's second granule
        bus.commands().injectError(r1 + 8192, 512);
        bus.close();
        Path folder = data.resolve("media/emul.p");
        assertEquals(List.of("0xe00 0x200"), ranges(folder.resolve("dimm0.img.poison")));
        assertEquals(List.of("0x0 0x200", "0x1000 0x200"), ranges(folder.resolve("dimm1.img.poison")));
        assertEquals(List.of("0x2000 0x200"), ranges(folder.resolve("dimm2.img.poison")));

        EmulBus again = open("nvdimm.emul~p", cfg);
        try {
            assertEquals(List.of(new ErrorRecord(r0 + 4096 - 512, 1024), new ErrorRecord(r0 + 3 * 4096, 512),
                    new ErrorRecord(r1 + 8192, 512)), again.commands().injectedErrors());
            again.commands().clearError(r0, 32 * MIB);
            assertFalse(Files.exists(folder.resolve("dimm0.img.poison")), "a DIMM without poison has no list");
            assertFalse(Files.exists(folder.resolve("dimm1.img.poison")));
            assertTrue(Files.exists(folder.resolve("dimm2.img.poison")), "other DIMMs' lists are left alone");
        } finally {
            again.close();
        }
        EmulBus third = open("nvdimm.emul~p", cfg);
        try {
            assertEquals(List.of(new ErrorRecord(r1 + 8192, 512)), third.commands().injectedErrors());
            try (Stream<Path> files = Files.list(folder)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                        "the temporary file of each write was renamed over the list");
            }
        } finally {
            third.close();
        }
    }

    @Test
    void aCorruptPoisonListIsRefusedNamingTheFile() throws Exception {
        String cfg = "dimms = 1\ndimm.size = 1M\nlabel.size = 0";
        open("nvdimm.emul~c", cfg).close();
        Path list = data.resolve("media/emul.c/dimm0.img.poison");
        for (String[] bad : new String[][] {
                {"0x1000\n", "line 1: '0x1000' is not an address and a length"},
                {"# ok\n0x1000 512\n", "line 2: '512' is not a hexadecimal number"},
                {"0x100000 0x200\n", "line 1: range 0x100000 + 0x200 is empty or outside the 1048576 bytes"},
                {"0x0 0x0\n", "is empty or outside"},
                {"0xffffffffffffffff 0x1\n", "is empty or outside"},
                {"0xzz 0x1\n", "'0xzz' is not a hexadecimal number"}}) {
            Files.writeString(list, bad[0]);
            assertErrno(Errno.EINVAL, () -> open("nvdimm.emul~c", cfg), list.toString(), bad[1],
                    "the poison list is corrupt: repair or delete the file");
            assertEquals(bad[0], Files.readString(list), "a refused list is left as it was");
        }
        Files.delete(list);
        open("nvdimm.emul~c", cfg).close();
    }

    /** Another runtime (or a QEMU) using a DIMM file keeps this bus down; a running bus keeps them out. */
    @Test
    void dimmFilesAreLockedAsQemuLocksItsImages() throws Exception {
        String cfg = "dimms = 2\ndimm.size = 1M\nlabel.size = 0";
        EmulBus bus = open("nvdimm.emul~l", cfg);
        Path dimm1 = data.resolve("media/emul.l/dimm1.img");
        assertEquals(List.of("101 locked", "201 locked"), OtherProcessLocks.probe(data, dimm1, 101, 201));
        bus.close();
        assertEquals(List.of("101 free", "201 free"), OtherProcessLocks.probe(data, dimm1, 101, 201));
        try (OtherProcessLocks.Holder other = new OtherProcessLocks.Holder(data, dimm1, 100, 101, 201, 203)) {
            assertErrno(Errno.EBUSY, () -> open("nvdimm.emul~l", cfg), "nvdimm.emul~l: " + dimm1 + ": in use");
            assertFalse(Fixtures.mapped(data.resolve("media/emul.l/dimm0.img")), "what was opened is closed again");
        }
        open("nvdimm.emul~l", cfg).close();
    }

    private static List<String> ranges(Path list) throws IOException {
        return Files.readAllLines(list).stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void theDefaultConfigurationGivesThreeDimmsAnInterleavedLabeledRegionAndALabelLessOneInSparseFiles()
            throws Exception {
        EmulBus bus = open("nvdimm.emul~default", EmulConfig.DEFAULT_CFG);
        try {
            assertEquals("emul.default", bus.name());
            List<DimmDescriptor> dimms = bus.dimms();
            assertEquals(3, dimms.size());
            assertEquals(List.of(0x0, 0x1, 0x100), dimms.stream().map(DimmDescriptor::handle).toList());
            assertEquals(List.of(131072L, 131072L, 0L), dimms.stream().map(DimmDescriptor::labelAreaSize).toList());
            dimms.forEach(d -> assertEquals(256 * MIB, d.size()));

            List<RegionDescriptor> regions = bus.regions();
            assertEquals(2, regions.size());
            RegionDescriptor r0 = regions.get(0);
            assertEquals(SPA, r0.address());
            assertEquals(512 * MIB, r0.size());
            assertEquals(2, r0.interleaveWays());
            assertEquals(4096, r0.interleaveGranularity());
            assertEquals(16 * MIB, r0.align());
            assertEquals(List.of(new Mapping(0x0, 0, 256 * MIB, 0, 0), new Mapping(0x1, 0, 256 * MIB, 1, 4096)),
                    r0.mappings());
            assertEquals(512 * MIB, r0.medium().size());
            assertEquals(PersistenceDomain.MEMORY_CONTROLLER, r0.persistenceDomain());
            assertNotNull(r0.flushHandler());

            RegionDescriptor r1 = regions.get(1);
            assertEquals(SPA + (1L << 30), r1.address());
            assertEquals(256 * MIB, r1.size());
            assertEquals(1, r1.interleaveWays());
            assertEquals(0, r1.interleaveGranularity());
            assertEquals(List.of(new Mapping(0x100, 0, 256 * MIB, 0, 0)), r1.mappings());

            Path folder = data.resolve("media").resolve("emul.default");
            assertEquals(List.of(folder.resolve("dimm0.img"), folder.resolve("dimm1.img"), folder.resolve("dimm2.img")),
                    filesUnder(folder));
            assertEquals(256 * MIB + 131072, Files.size(folder.resolve("dimm0.img")));
            assertEquals(256 * MIB + 131072, Files.size(folder.resolve("dimm1.img")));
            assertEquals(256 * MIB, Files.size(folder.resolve("dimm2.img")));
            for (Path f : filesUnder(folder)) {
                assertTrue(allocated(f) < MIB, f + " should be sparse but occupies " + allocated(f));
            }
            assertEquals(List.of(folder.resolve("dimm0.img"), folder.resolve("dimm1.img"), folder.resolve("dimm2.img")),
                    bus.files());
        } finally {
            bus.close();
        }
    }

    @Test
    void dimmsGetNfitTestIdentities() {
        EmulBus bus = open("nvdimm.emul~ids", "dimms = 4\ndimm.size = 1M\nlabel.size = 0\nregions = 0+1+2+3\nbacking = memory");
        try {
            List<DimmDescriptor> d = bus.dimms();
            assertEquals(List.of(0x0, 0x1, 0x100, 0x101), d.stream().map(DimmDescriptor::handle).toList());
            assertEquals(List.of(0, 1, 2, 3), d.stream().map(DimmDescriptor::physId).toList());
            assertEquals(4, d.stream().map(DimmDescriptor::serialNumber).distinct().count());
            for (DimmDescriptor x : d) {
                assertEquals(0xabcd, x.vendorId());
                assertEquals(0, x.deviceId());
                assertEquals(1, x.revisionId());
                assertEquals(0x0a, x.manufacturingLocation());
                assertEquals(~x.handle() & 0xffff, x.serialNumber() & 0xffff);
                assertTrue(x.id().startsWith("cdab-0a-07e0-"), x.id());
                assertEquals(Set.of(), x.flags());
            }
            // 4 ways of 1 MiB: 4 MiB region, 4 KiB alignment (under 16 MiB), offsets by position
            RegionDescriptor r = bus.regions().getFirst();
            assertEquals(4 * MIB, r.size());
            assertEquals(4096, r.align());
            assertEquals(List.of(0L, 4096L, 8192L, 12288L), r.mappings().stream().map(Mapping::regionOffset).toList());
        } finally {
            bus.close();
        }
        assertEquals(List.of(), List.of(data.toFile().list()), "memory backing creates no file");
        assertEquals(Identity.nfitTest("emul.a", 5, 4096, 0), Identity.nfitTest("emul.a", 5, 4096, 0));
        assertNotEquals(Identity.nfitTest("emul.a", 0, 4096, 0).serialNumber(),
                Identity.nfitTest("emul.b", 0, 4096, 0).serialNumber());
        assertEquals(0x011, Identity.nfitTestHandle(33));
        assertEquals(0xf01, Identity.nfitTestHandle(31));
    }

    @Test
    void regionAlignmentFollowsLinuxAndStaysAPowerOfTwo() {
        assertEquals(4096, EmulBus.align(8 * MIB, 1));
        assertEquals(16 * MIB, EmulBus.align(16 * MIB, 1));
        assertEquals(16 * MIB, EmulBus.align(512 * MIB, 2));
        assertEquals(64 * MIB, EmulBus.align(768 * MIB, 3));
        assertEquals(128 * MIB, EmulBus.align(768 * MIB, 6));
        assertEquals(16384, EmulBus.align(12 * MIB, 3));
        assertEquals(0, EmulBus.span(List.of()));
        assertEquals(2L << 30, EmulBus.span(List.of(1L, 1L << 30)));
        assertEquals(3L << 30, EmulBus.span(List.of((1L << 30) + 1, 512 * MIB)));
    }

    @Test
    void writesThroughTheInterleavedRegionLandInTheRightDimmFiles() throws Exception {
        EmulBus bus = open("nvdimm.emul~il", "dimms = 2\ndimm.size = 1M\nlabel.size = 128K\nregions = 0+1:8K");
        Medium region = bus.regions().getFirst().medium();
        byte[] data = new byte[3 * 8192];
        new Random(5).nextBytes(data);
        region.write(8192 - 100, data); // end of granule 0 (DIMM 0), granule 1 (DIMM 1), granule 2 (DIMM 0 row 1) ...
        region.writeLong(2L * 8192 * 10 + 8192, 0x1122334455667788L); // granule 21: DIMM 1, row 10
        region.persist(0, region.size());
        bus.close();

        Path d0 = ConfiguredBus.dimmFile(this.data, "emul.il", 0);
        Path d1 = ConfiguredBus.dimmFile(this.data, "emul.il", 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 100), readFile(d0, 8192 - 100, 100));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 100 + 8192), readFile(d1, 0, 8192));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100 + 8192, 100 + 16384), readFile(d0, 8192, 8192));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100 + 16384, data.length), readFile(d1, 8192, 8192 - 100));
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11},
                readFile(d1, 10L * 8192, 8));
        assertArrayEquals(new byte[100], readFile(d0, 0, 100));
        // the region view is closed with the bus (its own refusal, not only its DIMMs')
        assertErrno(Errno.ENXIO, () -> region.readLong(0), "emul.il/region0: the medium is closed");
    }

    @Test
    void persistAndSyncThroughTheRegionReachEachDimm() {
        EmulBus bus = open("nvdimm.emul~ps", "dimms = 2\ndimm.size = 64K\nlabel.size = 0\nregions = 0+1\nbacking = memory");
        try {
            // rebuild the same shape over counting media to watch the calls
            List<CountingMedium> media = List.of(new CountingMedium("a", 65536), new CountingMedium("b", 65536));
            List<EmulDimm> dimms = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                dimms.add(new EmulDimm(Identity.nfitTest("emul.ps", i, 65536, 0), media.get(i), 65536, null, lockdep));
            }
            EmulBus counted = new EmulBus("emul.ps2", dimms, List.of(new EmulBus.RegionPlan(List.of(0, 1), 4096)), SPA,
                    4096, lockdep, System::nanoTime);
            Medium region = counted.regions().getFirst().medium();
            region.persist(4096 - 8, 16);
            assertEquals(1, media.get(0).persists.size());
            assertArrayEquals(new long[] {4096 - 8, 8}, media.get(0).persists.getFirst());
            assertArrayEquals(new long[] {0, 8}, media.get(1).persists.getFirst());
            region.sync();
            assertEquals(1, media.get(0).syncs.get());
            assertEquals(1, media.get(1).syncs.get());
            counted.close();
            assertEquals(2, media.get(0).syncs.get(), "closing syncs each DIMM");
            assertEquals(1, media.get(0).closes.get());
            assertEquals(1, media.get(1).closes.get());
        } finally {
            bus.close();
        }
    }

    @Test
    void aRestartOnTheSameFilesSeesTheSameBytes() {
        String text = "dimms = 3\ndimm.size = 1M\nlabel.size = 128K,128K,0\nregions = 0+1:4096,2";
        EmulBus first = open("nvdimm.emul~r", text);
        byte[] pmem = new byte[20000];
        new Random(9).nextBytes(pmem);
        first.regions().get(0).medium().write(1000, pmem);
        first.regions().get(1).medium().writeLong(8, 77);
        byte[] label = "NAMESPACE_INDEX\0 and more".getBytes();
        first.commands().writeLabelArea(first.dimms().get(1), 256, label, 0, label.length);
        first.close();

        EmulBus second = open("nvdimm.emul~r", text);
        try {
            byte[] back = new byte[pmem.length];
            second.regions().get(0).medium().read(1000, back);
            assertArrayEquals(pmem, back);
            assertEquals(77, second.regions().get(1).medium().readLong(8));
            byte[] labelBack = new byte[label.length];
            second.commands().readLabelArea(second.dimms().get(1), 256, labelBack, 0, labelBack.length);
            assertArrayEquals(label, labelBack);
            assertEquals(first.dimms(), second.dimms(), "same identities, so the same interleave-set cookies");
        } finally {
            second.close();
        }
    }

    @Test
    void theLabelAreaIsTheTailOfEachDimmFile() throws Exception {
        EmulBus bus = open("nvdimm.emul~t", "dimms = 1\ndimm.size = 64K\nlabel.size = 128K\nregions = 0");
        byte[] label = {1, 2, 3, 4, 5};
        bus.commands().writeLabelArea(bus.dimms().getFirst(), 131072 - 5, label, 0, 5);
        bus.close();
        Path file = ConfiguredBus.dimmFile(data, "emul.t", 0);
        assertEquals(65536 + 131072, Files.size(file));
        assertArrayEquals(label, readFile(file, Files.size(file) - 5, 5));
    }

    @Test
    void anExistingFileOfTheWrongSizeIsRefusedAndNothingIsCreated() throws Exception {
        Path folder = ConfiguredBus.folder(data, "emul.w");
        Files.createDirectories(folder);
        Path dimm1 = folder.resolve("dimm1.img");
        Files.write(dimm1, new byte[4096]);
        long mtime = Files.getLastModifiedTime(dimm1).toMillis();
        NvdimmException e = assertErrno(Errno.EINVAL,
                () -> open("nvdimm.emul~w", "dimms = 2\ndimm.size = 64K\nlabel.size = 0\nregions = 0+1"),
                "nvdimm.emul~w: ", dimm1.toString(), "has 4096 bytes, but the configuration needs 65536");
        assertNotNull(e);
        assertEquals(List.of(dimm1), filesUnder(folder));
        assertArrayEquals(new byte[4096], Files.readAllBytes(dimm1));
        assertEquals(mtime, Files.getLastModifiedTime(dimm1).toMillis());

        Files.delete(dimm1);
        Files.createDirectory(dimm1);
        assertErrno(Errno.EINVAL, () -> open("nvdimm.emul~w", "dimms = 2\ndimm.size = 64K\nlabel.size = 0\nregions = 0+1"),
                "exists and is not a regular file");
        assertEquals(List.of(dimm1), filesUnder(folder));
    }

    @Test
    void aFailureHalfWayRemovesWhatThisOpenCreatedAndClosesWhatItOpened() throws Exception {
        BusSpec spec = ConfigParser.parse(cfg("nvdimm.emul~h", "dimms = 3\ndimm.size = 64K\nlabel.size = 0\nregions = 0+1,2"));
        List<Medium> opened = new ArrayList<>();
        ConfiguredBus.Opener failThird = (file, size, create) -> {
            if (file.getFileName().toString().equals("dimm2.img")) {
                throw new NvdimmException(Errno.ENOSPC, file + ": no space");
            }
            Medium m = create ? Media.mapFile(file, size, nvdimm.bus.MapOption.CREATE) : Media.mapFile(file, size);
            opened.add(m);
            return m;
        };
        assertErrno(Errno.ENOSPC, () -> ConfiguredBus.open(spec, data, SPA, lockdep, System::nanoTime, failThird),
                "no space");
        assertEquals(List.of(), filesUnder(data), "the media folders it created are gone too");
        assertEquals(2, opened.size());
        opened.forEach(m -> assertErrno(Errno.ENXIO, () -> m.readLong(0)));

        // a file that was there before stays
        Path folder = ConfiguredBus.folder(data, "emul.h");
        Files.createDirectories(folder);
        Files.write(folder.resolve("dimm0.img"), new byte[65536]);
        opened.clear();
        assertErrno(Errno.ENOSPC, () -> ConfiguredBus.open(spec, data, SPA, lockdep, System::nanoTime, failThird));
        assertEquals(List.of(folder.resolve("dimm0.img")), filesUnder(folder));
        assertEquals(List.of(folder.getParent(), folder, folder.resolve("dimm0.img")), filesUnder(data));
    }

    @Test
    void aFolderThatCannotBeCreatedFailsTheBusWithTheFileSystemsErrno() throws Exception {
        Files.write(data.resolve("media"), new byte[1]); // a file where the media folder belongs
        assertErrno(Errno.ENOTDIR, () -> open("nvdimm.emul~nd", "dimms = 1\ndimm.size = 64K\nlabel.size = 0\nregions = 0"),
                "nvdimm.emul~nd: cannot create the folder " + data.resolve("media").resolve("emul.nd"));
        assertEquals(List.of(data.resolve("media")), filesUnder(data));
    }

    @Test
    void aConfigurationThatFailsToParseCreatesNothing() {
        assertErrno(Errno.EINVAL, () -> open("nvdimm.emul~bad", "dimms = 2\nlabel.size = 0\nregions = 0+2"), "DIMM 2 is out of range");
        assertEquals(List.of(), List.of(data.toFile().list()));
    }

    @Test
    void aBusWithoutRegionsStillHasItsDimms() {
        EmulBus bus = open("nvdimm.emul~nr", "dimms = 2\ndimm.size = 64K\nlabel.size = 0\nregions =\nbacking = memory");
        try {
            assertEquals(2, bus.dimms().size());
            assertEquals(List.of(), bus.regions());
            assertSame(bus.commands(), bus.commands());
            assertEquals("emul.nr", bus.toString());
            assertFalse(bus.hasDimm(0x100));
            assertTrue(bus.hasDimm(0x1));
        } finally {
            bus.close();
        }
    }
}
