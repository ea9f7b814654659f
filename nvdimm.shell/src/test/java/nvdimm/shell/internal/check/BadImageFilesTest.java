package nvdimm.shell.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import nvdimm.btt.check.BttChecker;
import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.check.BttCheck;
import nvdimm.btt.internal.check.ImageCheck;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.format.BttChecksum;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Errno;
import nvdimm.bus.Fletcher64;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.emul.ImageAttacher;
import nvdimm.emul.LabelSize;
import nvdimm.emul.OpenedImage;
import nvdimm.emul.internal.Directory;
import nvdimm.emul.internal.ImageAttacherComponent;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.label.LabelAreaEditor;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.namespace.label.NamespaceLabel;
import nvdimm.shell.internal.cli.Dispatcher;
import nvdimm.shell.internal.cli.ExitStatus;
import nvdimm.shell.internal.cli.ProgressBar;

/**
 * Bad image files given to {@code nvdimm:check-image} (with and without {@code --repair}) and to the image
 * attach path ({@link ImageAttacher#open}, and {@link ImageAttacher#attach} where it must refuse): truncated,
 * empty, oversized and unreadable files, BTT info blocks claiming offsets beyond the file, label areas whose free
 * bitmap lies. Each row says what each path must do: refuse with an errno and a message naming the file and the
 * problem, report damage (exit status 250) naming the problem, or check clean; and every path must leave the
 * file's bytes and modification time as they were. One row per kind of bad input; a new kind gets a row.
 */
class BadImageFilesTest {

    static final long MIB = 1L << 20;
    static final int K128 = 128 << 10;
    static final long PMEM = 20 * MIB;
    static final UUID NAMESPACE = UUID.fromString("5a2e1f00-0000-4000-8000-000000000001");
    static final UUID BTT2_GUID = UUID.fromString("18633bfc-1735-4217-8ac9-17239282d3f8");

    @TempDir
    Path dir;

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    private ImageAttacherComponent attacher;
    private final List<List<CheckReport>> reports = new ArrayList<>();

    @BeforeEach
    void setUp() {
        attacher = new ImageAttacherComponent(lockdep, new Directory(lockdep), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        var deactivate = ImageAttacherComponent.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(attacher);
    }

    // ------------------------------------------------------------------ what a path must do

    /** What one path must do with a file. */
    sealed interface Outcome {
    }

    /** Refused with {@code errno}, the message naming the file and containing {@code problem}. */
    record Refused(Errno errno, String problem) implements Outcome {
    }

    /** check-image reports damage (exit status 250), a finding containing {@code problem}. */
    record Damaged(String problem) implements Outcome {
    }

    /** Accepted: check-image finds every BTT consistent; open and attach succeed (attach is then not run). */
    record Accepted() implements Outcome {
    }

    static final Outcome OK = new Accepted();

    /** A bad file: how to make it, and what check-image, check-image --repair and open/attach must do. */
    record Row(String name, Maker maker, Outcome check, Outcome repair, Outcome open) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Maker {
        Path make(BadImageFilesTest t, Path file) throws Exception;
    }

    static Stream<Arguments> rows() {
        Refused notAMultiple = new Refused(Errno.EINVAL, "is not a multiple of 4096");
        Refused noBtt = new Refused(Errno.ENXIO, "no BTT in 1 namespace (label-less)");
        Damaged beyond = new Damaged("corrupted metadata");
        return Stream.of(
                new Row("zero-length", (t, f) -> Files.createFile(f),
                        new Refused(Errno.EINVAL, "empty"), new Refused(Errno.EINVAL, "empty"),
                        new Refused(Errno.EINVAL, "empty")),
                new Row("truncated inside a page", (t, f) -> t.truncate(t.labelLess(f), 12 * MIB + 100),
                        notAMultiple, notAMultiple, notAMultiple),
                new Row("truncated at a page: the arena runs past the end", (t, f) -> t.truncate(t.labelLess(f), 12 * MIB),
                        new Damaged("info2off"), new Damaged("info2off"), OK),
                new Row("truncated to one page", (t, f) -> t.truncate(t.labelLess(f), 4096),
                        noBtt, noBtt, OK),
                new Row("labeled, truncated: the label area is gone", (t, f) -> t.truncate(t.labeled(f), PMEM),
                        noBtt, noBtt, OK),
                new Row("oversized: bytes appended after the BTT", (t, f) -> t.truncate(t.labelLess(f), 28 * MIB),
                        OK, OK, OK),
                new Row("oversized: a sparse file of 1 TiB", (t, f) -> t.truncate(Files.createFile(f), 1L << 40),
                        noBtt, noBtt, OK),
                new Row("unreadable (mode 000)", (t, f) -> t.mode(t.labelLess(f), "---------"),
                        new Refused(Errno.EACCES, ""), new Refused(Errno.EACCES, ""), new Refused(Errno.EACCES, "")),
                new Row("info block: nextoff past the end", (t, f) -> t.info(t.labelLess(f), 80, 64 * MIB), beyond, beyond, OK),
                new Row("info block: dataoff past the end", (t, f) -> t.info(t.labelLess(f), 88, 64 * MIB), beyond, beyond, OK),
                new Row("info block: mapoff past the end", (t, f) -> t.info(t.labelLess(f), 96, 64 * MIB), beyond, beyond, OK),
                new Row("info block: logoff past the end", (t, f) -> t.info(t.labelLess(f), 104, 64 * MIB), beyond, beyond, OK),
                new Row("info block: info2off past the end", (t, f) -> t.info(t.labelLess(f), 112, 64 * MIB), beyond, beyond, OK),
                new Row("info block: an arena whose blocks do not fit the file",
                        (t, f) -> t.info32(t.info32(t.labelLess(f), 60, 1 << 25), 68, (1 << 25) + 256),
                        new Damaged("does not fit"), new Damaged("does not fit"), OK),
                new Row("info block: internal_nlba disagreeing with external_nlba and nfree",
                        (t, f) -> t.info32(t.labelLess(f), 68, 1 << 29),
                        new Damaged("is not nfree 256"), new Damaged("is not nfree 256"), OK),
                new Row("labels: the live label's slot marked free", (t, f) -> t.bitmap(t.labeled(f), true),
                        noBtt, noBtt, OK),
                new Row("labels: a slot marked in use holds garbage", (t, f) -> t.bitmap(t.labeled(f), false),
                        OK, OK, OK),
                new Row("labels: nslot beyond the area", (t, f) -> t.nslot(t.labeled(f), 2000),
                        noBtt, noBtt, OK),
                new Row("labels: nslot below the live label's slot", (t, f) -> t.nslot(t.labeled(f), 1),
                        noBtt, noBtt, OK))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachPathRefusesOrReportsAndWritesNothing(Row row) throws Exception {
        Path file = row.maker().make(this, dir.resolve("bad.img"));
        String digest = digest(file);
        FileTime mtime = Files.getLastModifiedTime(file);
        Consumer<String> unchanged = path -> {
            try {
                assertEquals(digest, digest(file), path + " changed the file's bytes");
                assertEquals(mtime, Files.getLastModifiedTime(file), path + " changed the file's modification time");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        expect("check-image", row.check(), file, () -> checkImage(file, false));
        unchanged.accept("check-image");
        expect("check-image --repair", row.repair(), file, () -> checkImage(file, true));
        unchanged.accept("check-image --repair");
        expect("open", row.open(), file, () -> attacher.open(file, LabelSize.AUTO).close());
        unchanged.accept("open");
        if (row.open() instanceof Refused) {
            expect("attach", row.open(), file, () -> attacher.attach(file, LabelSize.AUTO, null, 0));
            unchanged.accept("attach");
        }
    }

    private void expect(String path, Outcome outcome, Path file, ThrowingRunnable run) throws Exception {
        reports.clear();
        switch (outcome) {
            case Refused(Errno errno, String problem) -> {
                NvdimmException e = assertThrows(NvdimmException.class, run::run, path + " must refuse");
                assertEquals(errno, e.errno(), path + ": " + e.getMessage());
                assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(problem),
                        path + ": the message names neither the file nor '" + problem + "': " + e.getMessage());
            }
            case Damaged(String problem) -> {
                ExitStatus e = assertThrows(ExitStatus.class, run::run, path + " must report damage");
                assertEquals(250, e.exitStatus(), path + ": " + e.getMessage());
                List<CheckReport> got = reports.getLast();
                assertTrue(got.stream().allMatch(r -> r.target().contains(file.getFileName().toString())), got.toString());
                assertTrue(got.stream().flatMap(r -> r.findings().stream()).anyMatch(f -> f.message().contains(problem)),
                        path + ": no finding says '" + problem + "': " + got);
            }
            case Accepted() -> {
                try {
                    run.run();
                } catch (NvdimmException | ExitStatus e) {
                    fail(path + " must accept the file: " + e.getMessage() + " " + reports, e);
                }
            }
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Object checkImage(Path file, boolean repair) throws Exception {
        BttChecker checker = new BttChecker() {
            @Override
            public CheckReport check(String target, Medium namespace, Optional<UUID> namespaceUuid, CheckOptions options,
                    Progress progress) {
                return BttCheck.check(target, namespace, namespaceUuid, options, progress);
            }

            @Override
            public CheckReport checkNamespace(String namespace, CheckOptions options, boolean force, Progress progress) {
                throw new AssertionError("check-image checks no attached namespace");
            }

            @Override
            public List<CheckReport> checkImage(String target, Medium pmem, Optional<Medium> labelArea,
                    CheckOptions options, Progress progress) {
                List<CheckReport> r = ImageCheck.checkImage(target, pmem, labelArea, options, progress);
                reports.add(r);
                return r;
            }
        };
        CheckImageCommand command = new CheckImageCommand(() -> attacher, () -> checker, () -> dir,
                tail -> ProgressBar.NONE);
        PrintStream out = System.out;
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return new Dispatcher("nvdimm", List.of(command)).dispatch(repair
                    ? new String[] {"check-image", "--repair", file.toString()}
                    : new String[] {"check-image", file.toString()});
        } finally {
            System.setOut(out);
        }
    }

    // ------------------------------------------------------------------ the files

    /** A label-less image: a v1.1 BTT of 512-byte sectors over the whole file, as Linux lays it out. */
    Path labelLess(Path file) {
        try (Medium m = Media.mapFile(file, PMEM, nvdimm.bus.MapOption.CREATE)) {
            Btt.format(m, BttVersion.V1_1, 512, UUID.randomUUID(), InfoBlock.NIL_UUID);
            m.sync();
        }
        return file;
    }

    /**
     * A labeled image (QEMU layout, 128 KiB label area at the end): one v1.2 label claiming all of the persistent
     * memory for a BTT 2.0 (parent: the namespace's uuid).
     */
    Path labeled(Path file) throws IOException {
        try (Medium m = Media.mapFile(file, PMEM + K128, nvdimm.bus.MapOption.CREATE)) {
            try (Medium pmem = Media.slice(m, "pmem", 0, PMEM)) {
                Btt.format(pmem, BttVersion.V2_0, 512, UUID.randomUUID(), NAMESPACE);
            }
            byte[] area = new byte[K128];
            LabelAreaEditor editor = LabelAreaEditor.initialize(K128, LabelVersion.V1_2,
                    (offset, src, srcOffset, length) -> System.arraycopy(src, srcOffset, area, (int) offset, length));
            editor.write(new NamespaceLabel(NAMESPACE, "bad", 0, 1, 0, 0, 512, 0, PMEM, 0, 0,
                    NamespaceLabel.PMEM_TYPE_GUID, BTT2_GUID), "nmem0");
            m.write(PMEM, editor.bytes());
            m.sync();
        }
        return file;
    }

    Path truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    Path mode(Path file, String mode) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /** The v1.1 BTT's first info block (at 4096) with the u64 at {@code field} set, resealed. */
    Path info(Path file, int field, long value) throws IOException {
        return patchInfo(file, b -> b.putLong(field, value));
    }

    /** As {@link #info} for a u32 field. */
    Path info32(Path file, int field, int value) throws IOException {
        return patchInfo(file, b -> b.putInt(field, value));
    }

    private Path patchInfo(Path file, Consumer<ByteBuffer> patch) throws IOException {
        byte[] block = read(file, 4096, InfoBlock.SIZE);
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        patch.accept(b);
        b.putLong(InfoBlock.CHECKSUM_OFFSET, BttChecksum.of(block));
        write(file, 4096, block);
        return file;
    }

    /**
     * Makes the current index's free bitmap lie: {@code liveFree} marks the live label's slot free; otherwise
     * the lowest free slot is marked in use and filled with garbage. The index is resealed.
     */
    Path bitmap(Path file, boolean liveFree) throws IOException {
        byte[] area = read(file, PMEM, K128);
        var parsed = nvdimm.namespace.label.LabelArea.parse(area);
        int size = parsed.geometry().indexSize();
        int at = parsed.current() * size;
        int slot;
        if (liveFree) {
            slot = (int) parsed.labels().getFirst().slot();
            area[at + 72 + slot / 8] |= (byte) (1 << (slot % 8));
        } else {
            slot = parsed.freeSlots().getFirst();
            area[at + 72 + slot / 8] &= (byte) ~(1 << (slot % 8));
            byte[] garbage = new byte[parsed.geometry().labelSize()];
            new java.util.Random(7).nextBytes(garbage);
            System.arraycopy(garbage, 0, area, (int) parsed.geometry().labelOffset(slot), garbage.length);
        }
        reseal(area, at, size);
        write(file, PMEM, area);
        return file;
    }

    /** Sets both index blocks' nslot, resealed. */
    Path nslot(Path file, int nslot) throws IOException {
        byte[] area = read(file, PMEM, K128);
        int size = nvdimm.namespace.label.LabelArea.parse(area).geometry().indexSize();
        for (int i = 0; i < 2; i++) {
            ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN).putInt(i * size + 56, nslot);
            reseal(area, i * size, size);
        }
        write(file, PMEM, area);
        return file;
    }

    private static void reseal(byte[] area, int at, int size) {
        byte[] block = java.util.Arrays.copyOfRange(area, at, at + size);
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putLong(64, 0);
        ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 64, Fletcher64.of(block));
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    /**
     * The file's SHA-256 with its size; for a file over 256 MiB (the sparse 1 TiB one) only its first and last 4
     * MiB (with the modification time, compared too, that covers a store anywhere); for one this user may not
     * read, its size only.
     */
    private static String digest(Path file) throws IOException {
        long size = Files.size(file);
        if (!Files.isReadable(file)) {
            return "unreadable, " + size + " bytes";
        }
        if (size > 256 * MIB) {
            return size + " bytes, " + HexFormat.of().formatHex(read(file, 0, 4 << 20)).hashCode() + ", "
                    + HexFormat.of().formatHex(read(file, size - (4 << 20), 4 << 20)).hashCode();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
            return size + " bytes, " + HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
