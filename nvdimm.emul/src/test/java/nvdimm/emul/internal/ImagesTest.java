package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import nvdimm.bus.Errno;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.emul.AttachedImage;
import nvdimm.emul.LabelSize;
import nvdimm.lockdep.Lockdep;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagesTest {

    private static final int K128 = 128 * 1024;
    private static final long SIZE = 4L << 20;

    @TempDir
    Path dir;

    private final Lockdep lockdep = Fixtures.lockdep();
    private final Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
    private Directory directory;
    private Images images;

    @BeforeEach
    void setUp() {
        directory = new Directory(lockdep);
        images = new Images(directory, lockdep, publisher, System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        images.close();
    }

    /** A file of {@code size} bytes: random bytes in its first and last 64 KiB, a hole between. */
    private Path image(String name, long size) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
            byte[] noise = new byte[(int) Math.min(size, 65536)];
            new Random(name.hashCode()).nextBytes(noise);
            f.seek(0);
            f.write(noise);
            f.seek(size - noise.length);
            f.write(noise);
        }
        return file;
    }

    private static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    private static byte[] readAt(Path file, long offset, int len) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[len];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    private static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Asserts the attach is refused with {@code errno} and leaves file, directory and framework alone. */
    private void assertRefusedUnchanged(Path file, Errno errno, Executable attach, String... fragments) throws Exception {
        boolean exists = Files.isRegularFile(file);
        String before = exists ? digest(file) : null;
        FileTime mtime = exists ? Files.getLastModifiedTime(file) : null;
        List<AttachedImage> attached = images.attached();
        List<String> log = List.copyOf(publisher.log);
        assertErrno(errno, attach, fragments);
        if (exists) {
            assertEquals(before, digest(file));
            assertEquals(mtime, Files.getLastModifiedTime(file));
        }
        assertEquals(attached, images.attached());
        assertEquals(log, publisher.log);
    }

    @Test
    void anExplicitLabelSizeTakesTheEndOfTheFileAndLeavesThePmemBeforeIt() throws Exception {
        Path file = image("vm0.img", SIZE);
        byte[] tail = readAt(file, SIZE - K128, 16);
        byte[] head = readAt(file, 0, 16);
        AttachedImage a = images.attach(file, LabelSize.ofBytes(K128), null, 0);
        assertEquals(new AttachedImage("emul.vm0", "vm0", file.toRealPath(), SIZE, SIZE - K128, K128, false, 0), a);
        assertEquals(List.of("publish emul.vm0 IMAGE"), publisher.log);
        EmulBus bus = publisher.live.getFirst();
        assertEquals("emul.vm0", bus.name());

        DimmDescriptor dimm = bus.dimms().getFirst();
        assertEquals(SIZE - K128, dimm.size());
        assertEquals(K128, dimm.labelAreaSize());
        assertEquals(new LabelAreaInfo(K128, 4076), bus.commands().labelAreaInfo(dimm));

        byte[] label = new byte[16];
        bus.commands().readLabelArea(dimm, 0, label, 0, 16);
        assertArrayEquals(tail, label, "label offset 0 is file offset size - 128K");
        byte[] written = "label data here!".getBytes();
        bus.commands().writeLabelArea(dimm, K128 - 16, written, 0, 16);
        assertArrayEquals(written, readAt(file, SIZE - 16, 16), "a label write reaches the file's last bytes");

        RegionDescriptor region = bus.regions().getFirst();
        assertEquals(SIZE - K128, region.size());
        assertEquals(List.of(new Mapping(1, 0, SIZE - K128, 0, 0)), region.mappings());
        assertEquals(1, region.interleaveWays());
        assertEquals(0, region.interleaveGranularity());
        Medium pmem = region.medium();
        byte[] first = new byte[16];
        pmem.read(0, first);
        assertArrayEquals(head, first, "DPA 0 is file offset 0");
        pmem.writeLong(SIZE - K128 - 8, 0x0102030405060708L);
        // the label area is not persistent memory
        assertErrno(Errno.ENXIO, () -> pmem.readLong(SIZE - K128), "beyond the medium's size");
        assertEquals(List.of(a), images.attached());
        images.detach("vm0");
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, readAt(file, SIZE - K128 - 8, 8));
    }

    @Test
    void pmemIsRoundedDownToTheBackendAlignmentLeavingAGapBeforeTheLabels() throws Exception {
        Path file = image("gap.img", SIZE);
        int labelSize = K128 + 1000;
        images.attach(file, LabelSize.ofBytes(labelSize), "gap", 3);
        EmulBus bus = publisher.live.getFirst();
        long pmem = (SIZE - labelSize) / 4096 * 4096;
        assertEquals(SIZE - K128 - 4096, pmem);
        assertEquals(pmem, bus.regions().getFirst().size());
        byte[] label = new byte[8];
        bus.commands().readLabelArea(bus.dimms().getFirst(), 0, label, 0, 8);
        assertArrayEquals(readAt(file, SIZE - labelSize, 8), label);
        assertEquals(ImageLayout.pmemSize(SIZE, labelSize), pmem);
        assertEquals(0, ImageLayout.pmemSize(SIZE, SIZE));
        assertEquals(0, ImageLayout.pmemSize(SIZE, SIZE + 1));
        assertEquals(4096, ImageLayout.pmemSize(K128 + 4096, K128));
        assertEquals(0, ImageLayout.pmemSize(K128 + 4095, K128));
    }

    @Test
    void withoutLabelsTheWholeFileIsPmem() throws Exception {
        Path file = image("plain.img", SIZE);
        AttachedImage a = images.attach(file, LabelSize.NONE, "plain", 0);
        assertEquals(SIZE, a.pmemSize());
        assertEquals(0, a.labelSize());
        EmulBus bus = publisher.live.getFirst();
        assertEquals(new LabelAreaInfo(0, 4076), bus.commands().labelAreaInfo(bus.dimms().getFirst()));
        assertErrno(Errno.ENXIO, () -> bus.commands().readLabelArea(bus.dimms().getFirst(), 0, new byte[1], 0, 1));
        bus.regions().getFirst().medium().writeLong(SIZE - 8, 1);
    }

    @Test
    void autoFindsNoLabelAreaWithoutAValidIndex() throws Exception {
        Path file = image("none.img", SIZE);
        AttachedImage a = images.attach(file, LabelSize.AUTO, "none", 0);
        assertEquals(0, a.labelSize());
        assertEquals(SIZE, a.pmemSize());
        assertTrue(a.labelSizeDetected());
    }

    @ParameterizedTest(name = "{0} bytes of {1}-byte labels")
    @CsvSource({"131072, 256", "131072, 128", "262144, 256", "2097152, 128"})
    void autoFindsTheLabelAreaByItsIndex(int areaSize, int labelSize) throws Exception {
        Path file = image("l.img", SIZE);
        writeAt(file, SIZE - areaSize, LabelAreas.fresh(areaSize, labelSize));
        String before = digest(file);
        AttachedImage a = images.attach(file, LabelSize.AUTO, "l", 0);
        assertEquals(areaSize, a.labelSize());
        assertEquals(SIZE - areaSize, a.pmemSize());
        assertTrue(a.labelSizeDetected());
        images.detach("l");
        assertEquals(before, digest(file), "detection and attaching write nothing");
    }

    @Test
    void autoTriesLabelSizesUpTo128MiB() throws Exception {
        long size = (128L << 20) + 4096;
        Path file = image("huge.img", size);
        writeAt(file, 4096, LabelAreas.indexes(128 << 20, 256)); // the start of a 128 MiB label area
        AttachedImage a = images.attach(file, LabelSize.AUTO, null, 0);
        assertEquals(128L << 20, a.labelSize());
        assertEquals(4096, a.pmemSize());
    }

    @Test
    void autoFindsAnIndexWhenOnlyTheSecondOneIsValid() throws Exception {
        Path file = image("second.img", SIZE);
        byte[] area = LabelAreas.fresh(K128, 256);
        java.util.Arrays.fill(area, 0, 256, (byte) 0);
        writeAt(file, SIZE - K128, area);
        assertEquals(K128, images.attach(file, LabelSize.AUTO, null, 0).labelSize());
    }

    @Test
    void autoRefusesTwoPlausibleLabelSizes() throws Exception {
        Path file = image("two.img", SIZE);
        writeAt(file, SIZE - 2 * K128, LabelAreas.fresh(2 * K128, 256));
        writeAt(file, SIZE - K128, LabelAreas.fresh(K128, 256)); // a stale smaller area inside the bigger one
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.AUTO, null, 0),
                "valid label indexes for label sizes [131072, 262144] bytes; give the label size");
        assertFalse(Fixtures.mapped(file), "a refused image is unmapped again");
        assertEquals(2 * K128, images.attach(file, LabelSize.ofBytes(2 * K128), null, 0).labelSize());
    }

    @Test
    void autoOnlyTriesSizesThatLeavePmem() throws Exception {
        Path small = image("small.img", K128 + 4096);
        writeAt(small, 4096, LabelAreas.fresh(K128, 256));
        assertEquals(K128, images.attach(small, LabelSize.AUTO, null, 0).labelSize());
        Path exact = image("exact.img", K128);
        writeAt(exact, 0, LabelAreas.fresh(K128, 256));
        AttachedImage a = images.attach(exact, LabelSize.AUTO, null, 1);
        assertEquals(0, a.labelSize(), "a 128K file cannot hold a 128K label area and pmem");
        assertEquals(K128, a.pmemSize());
    }

    /** The test's own interleave-set cookie (nvdimm-formats.md §3.7), from the descriptors alone. */
    private static long cookie(List<DimmDescriptor> dimms, List<Mapping> mappings, boolean v12) {
        int record = v12 ? 48 : 16;
        List<Mapping> sorted = mappings.stream().sorted(Comparator.comparingLong(Mapping::regionOffset)).toList();
        ByteBuffer b = ByteBuffer.allocate(record * sorted.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Mapping m : sorted) {
            DimmDescriptor d = dimms.stream().filter(x -> x.handle() == m.dimmHandle()).findFirst().orElseThrow();
            int at = b.position();
            b.putLong(m.regionOffset()).putInt(d.serialNumber());
            if (v12) {
                b.putShort((short) d.vendorId()).putShort((short) d.manufacturingDate())
                        .put((byte) d.manufacturingLocation());
            }
            b.position(at + record);
        }
        return LabelAreas.fletcher64(b.array(), 0, b.capacity());
    }

    @ParameterizedTest(name = "slot {0}")
    @CsvSource({"0, 0x002468AC00123456, 0x00BA90120012B4DC, 8680-56341200",
            "1, 0x002468AE00123457, 0x00BA901C0012B4DD, 8680-57341200",
            "2, 0x002468B000123458, 0x00BA90260012B4DE, 8680-58341200"})
    void theDimmIsQemusNvdimmInItsSlot(int slot, String cookie1, String cookie2, String id) throws Exception {
        Path file = image("slot" + slot + ".img", SIZE);
        images.attach(file, LabelSize.ofBytes(K128), null, slot);
        EmulBus bus = publisher.live.getFirst();
        DimmDescriptor d = bus.dimms().getFirst();
        assertEquals(slot + 1, d.handle());
        assertEquals(0, d.physId());
        assertEquals(0x123456 + slot, d.serialNumber());
        assertEquals(0x8086, d.vendorId());
        assertEquals(1, d.deviceId());
        assertEquals(1, d.revisionId());
        assertEquals(0, d.manufacturingLocation());
        assertEquals(0, d.manufacturingDate());
        assertEquals(id, d.id());
        List<Mapping> mappings = bus.regions().getFirst().mappings();
        assertEquals(List.of(new Mapping(slot + 1, 0, SIZE - K128, 0, 0)), mappings);
        assertEquals(Long.decode(cookie1), cookie(bus.dimms(), mappings, false));
        assertEquals(Long.decode(cookie2), cookie(bus.dimms(), mappings, true));
    }

    @Test
    void refusalsLeaveTheFileAndTheFrameworkAsTheyWere() throws Exception {
        Path file = image("r.img", SIZE);
        assertRefusedUnchanged(dir.resolve("missing.img"), Errno.ENOENT,
                () -> images.attach(dir.resolve("missing.img"), LabelSize.AUTO, null, 0),
                "missing.img: cannot attach: No such file or directory");
        assertRefusedUnchanged(dir, Errno.EISDIR, () -> images.attach(dir, LabelSize.AUTO, "d", 0), "directory");
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.ofBytes(4096), null, 0),
                "label size 4096 is neither 0 nor at least 131072");
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.ofBytes(K128 - 1), null, 0));
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.ofBytes(SIZE), null, 0),
                "too small for a label area of 4194304 bytes");
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.ofBytes(SIZE - 4095), null, 0),
                "too small");
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.AUTO, null, -1), "slot -1");
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.AUTO, null, 256), "slot 256");
        assertRefusedUnchanged(file, Errno.EINVAL, () -> images.attach(file, LabelSize.AUTO, "a b", 0), "name 'a b'");

        Path tiny = image("tiny.img", 4096);
        assertRefusedUnchanged(tiny, Errno.EINVAL, () -> images.attach(tiny, LabelSize.ofBytes(K128), null, 0),
                "too small");
        Path odd = image("odd.img", SIZE + 512);
        assertRefusedUnchanged(odd, Errno.EINVAL, () -> images.attach(odd, LabelSize.AUTO, null, 0),
                "is not a multiple of 4096");
        Path empty = Files.createFile(dir.resolve("empty.img"));
        assertRefusedUnchanged(empty, Errno.EINVAL, () -> images.attach(empty, LabelSize.NONE, null, 0), "empty");

        Path readOnly = image("ro.img", SIZE);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
        assertRefusedUnchanged(readOnly, Errno.EACCES, () -> images.attach(readOnly, LabelSize.AUTO, null, 0),
                "read-only (mode r--r--r--)");
        assertEquals(List.of(), directory.providers());
    }

    @Test
    void aFileIsAttachedOnceUnderOneName() throws Exception {
        Path file = image("once.img", SIZE);
        images.attach(file, LabelSize.NONE, "once", 0);
        assertRefusedUnchanged(file, Errno.EBUSY, () -> images.attach(file, LabelSize.NONE, "again", 1),
                "already in use by bus emul.once (attached image)");
        Path link = Files.createSymbolicLink(dir.resolve("link.img"), file);
        assertRefusedUnchanged(file, Errno.EBUSY, () -> images.attach(link, LabelSize.NONE, "again", 1));
        Path other = image("other.img", SIZE);
        assertRefusedUnchanged(other, Errno.EEXIST, () -> images.attach(other, LabelSize.NONE, "once", 1),
                "emul.once: a bus of that name is already attached");
        assertEquals(1, publisher.live.size());
    }

    /** Locked as QEMU locks its images: refused while a QEMU writer has it, locked for others while attached. */
    @Test
    void anImageInUseByAnotherProcessIsRefusedAndAnAttachedOneIsLockedForOthers() throws Exception {
        Path file = image("shared.img", SIZE);
        try (OtherProcessLocks.Holder qemu = new OtherProcessLocks.Holder(dir, file, 100, 101, 201, 203)) {
            assertRefusedUnchanged(file, Errno.EBUSY, () -> images.attach(file, LabelSize.NONE, null, 0),
                    "shared.img: in use: another process", "(a QEMU, a qemu-img or another nvdimm runtime has it open)");
            assertFalse(Fixtures.mapped(file), "a refused image is never mapped");
        }
        images.attach(file, LabelSize.NONE, null, 0);
        assertEquals(List.of("101 locked", "201 locked"), OtherProcessLocks.probe(dir, file, 101, 201),
                "qemu-img and QEMU find the write permission taken and unshared");
        images.detach("shared");
        assertEquals(List.of("101 free", "201 free"), OtherProcessLocks.probe(dir, file, 101, 201));
    }

    /** QEMU has one nvdimm per slot; two images presenting one identity would share interleave-set cookies. */
    @Test
    void twoImagesInOneSlotAreRefused() throws Exception {
        Path first = image("first.img", SIZE);
        Path second = image("second.img", SIZE);
        images.attach(first, LabelSize.NONE, null, 0);
        assertRefusedUnchanged(second, Errno.EBUSY, () -> images.attach(second, LabelSize.NONE, null, 0),
                "second.img: QEMU slot 0 is already taken by emul.first (" + first.toRealPath() + ")",
                "give another slot; the lowest free one is 1");
        images.attach(second, LabelSize.NONE, null, 1);
        assertEquals(List.of(1, 2), publisher.live.stream().map(b -> b.dimms().getFirst().handle()).toList());
        images.detach("first");
        images.attach(image("third.img", SIZE), LabelSize.NONE, null, 0); // a detached image frees its slot
    }

    @Test
    void aFileOfAConfiguredBusCannotBeAttached() throws Exception {
        Path file = image("dimm0.img", SIZE);
        directory.reserve("emul.cfg", Directory.Kind.CONFIGURED, List.of(file), 0);
        assertRefusedUnchanged(file, Errno.EBUSY, () -> images.attach(file, LabelSize.AUTO, null, 0),
                "already in use by bus emul.cfg (configured)");
        assertRefusedUnchanged(file, Errno.EEXIST, () -> images.attach(image("x.img", SIZE), LabelSize.AUTO, "cfg", 0),
                "emul.cfg: a bus of that name is already configured");
    }

    @Test
    void aFailedPublicationUndoesTheAttach() throws Exception {
        Path file = image("pub.img", SIZE);
        publisher.failNext = new NvdimmException(Errno.ENOMEM, "framework: no memory");
        assertRefusedUnchanged(file, Errno.ENOMEM, () -> images.attach(file, LabelSize.NONE, null, 0), "no memory");
        assertEquals(List.of(), directory.providers());
        assertFalse(Fixtures.mapped(file));
        EmulBus undone = publisher.offered.getFirst();
        assertErrno(Errno.ENXIO, () -> undone.regions().getFirst().medium().readLong(0), "closed");
        images.attach(file, LabelSize.NONE, null, 0); // the name and file are free again
        assertEquals(List.of("emul.pub"), directory.providers());
    }

    @Test
    void detachUnregistersSyncsAndUnmaps() throws Exception {
        Path file = image("d.img", SIZE);
        AttachedImage a = images.attach(file, LabelSize.ofBytes(K128), "d", 0);
        EmulBus bus = publisher.live.getFirst();
        Medium pmem = bus.regions().getFirst().medium();
        Medium whole = bus.emulDimms().getFirst().medium();
        pmem.write(4096, "persisted by detach".getBytes());

        assertTrue(Fixtures.mapped(file));
        assertEquals(a, images.detach("emul.d"));
        assertEquals(List.of("publish emul.d IMAGE", "unpublish emul.d"), publisher.log);
        assertFalse(Fixtures.mapped(file), "detach unmaps");
        assertErrno(Errno.ENXIO, () -> pmem.readLong(0));
        assertErrno(Errno.ENXIO, () -> whole.readLong(0), "closed");
        assertArrayEquals("persisted by detach".getBytes(), readAt(file, 4096, 19));
        assertEquals(List.of(), images.attached());
        assertErrno(Errno.ENOENT, () -> images.detach("d"), "no image is attached by that name or file");

        images.attach(file, LabelSize.ofBytes(K128), "d", 0);
        assertEquals(a, images.detach(file.toString()), "by file");
        images.attach(file, LabelSize.ofBytes(K128), "d", 0);
        assertEquals(a, images.detach("d"), "by name");
    }

    @Test
    void detachRefusesConfiguredBuses() throws Exception {
        directory.reserve("emul.c", Directory.Kind.CONFIGURED, List.of(), 0);
        assertErrno(Errno.EINVAL, () -> images.detach("c"), "bus emul.c is configured, not attached");
        Path file = image("busy.img", SIZE);
        Directory.Entry reserved = directory.reserve("emul.busy", Directory.Kind.IMAGE, List.of(file), 0);
        assertErrno(Errno.EBUSY, () -> images.detach("busy"), "still being attached");
        directory.remove(reserved);
        assertErrno(Errno.ENOENT, () -> images.detach("busy"));
        assertErrno(Errno.ENOENT, () -> images.detach("\0bad"));
    }

    @Test
    void closingDetachesEverythingAndRefusesNewAttaches() throws Exception {
        Path a = image("a.img", SIZE);
        Path b = image("b.img", SIZE);
        images.attach(a, LabelSize.NONE, null, 0);
        images.attach(b, LabelSize.NONE, null, 1);
        assertEquals(List.of("emul.a", "emul.b"), images.attached().stream().map(AttachedImage::provider).toList());
        images.close();
        assertEquals(List.of(), publisher.live);
        assertEquals(List.of(), images.attached());
        assertRefusedUnchanged(a, Errno.ENODEV, () -> images.attach(a, LabelSize.NONE, null, 0), "shutting down");
    }

    @Test
    void defaultNamesComeFromTheFileName() {
        assertEquals("vm0", Images.defaultName(Path.of("/x/vm0.img")));
        assertEquals("vm0.raw", Images.defaultName(Path.of("vm0.raw.img")));
        assertEquals("a_b", Images.defaultName(Path.of("a b.img")));
        assertEquals("_..hidden", Images.defaultName(Path.of("..hidden.img")));
        assertEquals("_-x", Images.defaultName(Path.of("-x")));
        assertEquals("_.profile", Images.defaultName(Path.of(".profile")));
        assertEquals("image", Images.defaultName(Path.of("/")));
        assertEquals(64, Images.defaultName(Path.of("x".repeat(100) + ".img")).length());
        assertEquals("y".repeat(64), Images.defaultName(Path.of("y".repeat(64) + ".img")));
        assertEquals("y".repeat(63), Images.defaultName(Path.of("y".repeat(63))));
        assertFalse(Images.defaultName(Path.of("é.img")).contains("é"));
    }
}
