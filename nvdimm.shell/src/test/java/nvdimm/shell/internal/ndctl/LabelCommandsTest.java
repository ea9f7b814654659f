package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.internal.core.CoreConfig;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.bus.internal.core.Publisher;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.bus.testing.FixedProvider;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.namespace.internal.labels.LabelAreasComponent;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.region.internal.RegionDriver;
import nvdimm.shell.internal.cli.ExitFailure;
import nvdimm.shell.internal.cli.UsageError;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label commands on the real core: nmem0 in an enabled region (active), nmem1 in none, nmem2 without a
 * label area; label areas of 128 KiB in memory behind the provider's label commands.
 */
class LabelCommandsTest {

    static final int K128 = 128 * 1024;
    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW);
    private final CoreImpl core = new CoreImpl(lockdep, new Publisher() {
        @Override
        public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
            return () -> { };
        }

        @Override
        public void post(String topic, Map<String, Object> properties) {
        }
    }, CoreConfig.DEFAULT);
    private final Map<Integer, byte[]> areas = new ConcurrentHashMap<>();
    private final Medium medium = Media.memory("labels.region0", 1 << 20);
    private final LabelCommands commands;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream savedErr = System.err;
    @TempDir
    Path dir;

    LabelCommandsTest() {
        core.addDriver(new RegionDriver(lockdep, core, Map.of()));
        areas.put(0, new byte[K128]);
        areas.put(1, new byte[K128]);
        List<DimmDescriptor> dimms = List.of(dimm(0, K128), dimm(1, K128), dimm(2, 0));
        core.addProvider(provider(dimms));
        core.waitProbeIdle();
        commands = new LabelCommands(core, new LabelAreasComponent(core));
    }

    @AfterEach
    void close() {
        System.setErr(savedErr);
        core.close();
        medium.close();
    }

    static DimmDescriptor dimm(int handle, long labelSize) {
        return new DimmDescriptor(handle, handle, 0x8086, 1, 1, 0, 0, 0x123456 + handle, 1 << 20, labelSize, Set.of(), false);
    }

    private BusProvider provider(List<DimmDescriptor> dimms) {
        CommandHandler handler = new CommandHandler() {
            @Override
            public LabelAreaInfo labelAreaInfo(DimmDescriptor dimm) {
                return new LabelAreaInfo(dimm.labelAreaSize(), 4076);
            }

            @Override
            public void readLabelArea(DimmDescriptor dimm, long offset, byte[] dst, int dstOffset, int length) {
                System.arraycopy(areas.get(dimm.handle()), (int) offset, dst, dstOffset, length);
            }

            @Override
            public void writeLabelArea(DimmDescriptor dimm, long offset, byte[] src, int srcOffset, int length) {
                System.arraycopy(src, srcOffset, areas.get(dimm.handle()), (int) offset, length);
            }

            @Override
            public void startScrub(long address, long length) {
            }

            @Override
            public ScrubStatus scrubStatus() {
                return new ScrubStatus(false, List.of());
            }

            @Override
            public long clearError(long address, long length) {
                return length;
            }

            @Override
            public void injectError(long address, long length) {
            }

            @Override
            public void uninjectError(long address, long length) {
            }

            @Override
            public List<ErrorRecord> injectedErrors() {
                return List.of();
            }

            @Override
            public DimmHealth health(DimmDescriptor dimm) {
                return new DimmHealth("ok", 25.0, 100, 1, "clean");
            }
        };
        List<RegionDescriptor> regions = List.of(new RegionDescriptor(1L << 32, 1 << 20,
                List.of(new Mapping(0, 0, 1 << 20, 0, 0)), 1, 0, 4096, PersistenceDomain.MEMORY_CONTROLLER, medium, null));
        return new FixedProvider<>("labels.0", dimms, regions, handler);
    }

    Object run(String... argv) throws Exception {
        err.reset();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return commands._main(null, argv);
        } finally {
            System.setErr(savedErr);
        }
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * A refused command changes no byte of any label area, and exits 1 as ndctl's label commands do, its
     * failure (with the errno) the cause.
     */
    NvdimmException refused(Errno errno, String... argv) {
        byte[] a0 = areas.get(0).clone();
        byte[] a1 = areas.get(1).clone();
        ExitFailure failure = assertThrows(ExitFailure.class, () -> run(argv));
        assertEquals(1, failure.exitStatus());
        NvdimmException e = assertInstanceOf(NvdimmException.class, failure.getCause());
        assertEquals(failure.getMessage(), e.getMessage());
        assertEquals(errno, e.errno(), e.getMessage());
        assertArrayEquals(a0, areas.get(0));
        assertArrayEquals(a1, areas.get(1));
        return e;
    }

    @Test
    void initLabelsCountsAsNdctlAndRefusesActiveDimms() throws Exception {
        assertNull(run("init-labels", "nmem1"));
        assertEquals("initialized 1 nmem\n", stderr());
        assertEquals(LabelVersion.V1_1, LabelArea.parse(areas.get(1)).version());
        refused(Errno.EBUSY, "init-labels", "nmem1");
        assertTrue(stderr().contains("nmem1: error: labels already initialized"), stderr());
        run("init-labels", "-f", "-V", "1.2", "nmem1");
        assertEquals(LabelVersion.V1_2, LabelArea.parse(areas.get(1)).version());
        NvdimmException e = refused(Errno.EBUSY, "init-labels", "nmem0");
        assertEquals("nmem0: regions active, abort label write (EBUSY)", e.getMessage());
        assertEquals("nmem0: regions active, abort label write (EBUSY)\ninitialized 0 nmem\n", stderr());
        // all: nmem1 done, nmem0 active, nmem2 without labels: one done is success, as in ndctl
        run("init-labels", "-f", "all");
        assertTrue(stderr().endsWith("initialized 1 nmem\n"), stderr());
        assertTrue(stderr().contains("nmem2: no label area (ENXIO)"), stderr());
    }

    @Test
    void badCommandLinesAreRefused() {
        assertThrows(UsageError.class, () -> run("init-labels"));
        assertThrows(UsageError.class, () -> run("init-labels", "nmem7"));
        NvdimmException e = refused(Errno.EINVAL, "init-labels", "-V", "2.0", "nmem1");
        assertTrue(e.getMessage().startsWith("'2.0' is not a valid label version"), e.getMessage());
        assertThrows(UsageError.class, () -> run("write-labels", "nmem1"));
        assertThrows(UsageError.class, () -> run("write-labels", "-i", "x", "all"));
    }

    @Test
    void zeroAndCheckLabels() throws Exception {
        run("init-labels", "nmem1");
        run("check-labels", "nmem1");
        assertEquals("successfully verified 1 nmem\n", stderr());
        run("zero-labels", "nmem1");
        assertEquals("zeroed 1 nmem\n", stderr());
        assertArrayEquals(new byte[K128], areas.get(1));
        NvdimmException e = refused(Errno.ENXIO, "check-labels", "nmem1");
        assertTrue(e.getMessage().startsWith("nmem1: no valid namespace index"), e.getMessage());
        assertTrue(stderr().endsWith("successfully verified 0 nmem\n"), stderr());
    }

    @Test
    void readLabelsPrintsNdctlsJsonAndRawBytes() throws Exception {
        run("init-labels", "-V", "1.2", "nmem1");
        String json = (String) run("read-labels", "-j", "nmem1");
        assertEquals("read 1 nmem\n", stderr());
        assertTrue(json.startsWith("[\n  {\n    \"dev\":\"nmem1\",\n    \"index\":[\n      {\n"
                + "        \"signature\":\"NAMESPACE_INDEX\",\n        \"major\":1,\n        \"minor\":2,\n"
                + "        \"labelsize\":256,\n        \"seq\":3,\n        \"nslot\":510\n"), json);
        // as ndctl, every slot whose bytes name that slot is dumped: a zeroed slot 0 too
        assertTrue(json.contains("\"label\":[\n      {\n        \"uuid\":\"00000000-0000-0000-0000-000000000000\""), json);
        assertEquals(1, json.split("\"uuid\"").length - 1, json);
        Path out = dir.resolve("nmem1.bin");
        run("read-labels", "-o", out.toString(), "nmem1");
        assertArrayEquals(areas.get(1), Files.readAllBytes(out));
        // a Linux-written area: its label with ndctl's keys, GUIDs as ndctl prints their bytes
        byte[] linux;
        try (var in = getClass().getResourceAsStream("kernel-btt-labeled-v1.2-4096.labels.bin")) {
            linux = in.readAllBytes();
        }
        Files.write(dir.resolve("linux.bin"), linux);
        run("write-labels", "-i", dir.resolve("linux.bin").toString(), "nmem1");
        assertEquals("wrote 1 nmem\n", stderr());
        String human = (String) run("read-labels", "-j", "-u", "nmem1");
        assertTrue(human.startsWith("{\n  \"dev\":\"nmem1\""), human);
        assertTrue(human.contains("\"uuid\":\"d557b2bc-e56c-11f1-9747-cb868faa0a78\",\n      \"name\":\"\",\n"
                + "      \"slot\":1,\n      \"position\":0,\n      \"nlabel\":1,\n      \"flags\":\"0\",\n"
                + "      \"isetcookie\":\"0xba90120012b4dc\",\n      \"lbasize\":4096,\n      \"dpa\":\"0\",\n"
                + "      \"rawsize\":\"48.00 MiB (50.33 MB)\",\n"
                + "      \"type_guid\":\"79d3f066-f3b4-7440-ac43-0d3318b78cdb\",\n"
                + "      \"abstraction_guid\":\"fc3b6318-3517-1742-8ac9-17239282d3f8\""), human);
    }

    @Test
    void writeLabelsRefusalsChangeNothing() throws Exception {
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[K128 - 8]);
        NvdimmException e = refused(Errno.EINVAL, "write-labels", "-i", small.toString(), "nmem1");
        assertEquals("nmem1: the input has 131064 bytes, the label area 131072 (EINVAL)", e.getMessage());
        assertEquals("wrote 0 nmem\n", stderr());
        Path corrupt = dir.resolve("corrupt.bin");
        byte[] junk = new byte[K128];
        Arrays.fill(junk, (byte) 7);
        Files.write(corrupt, junk);
        refused(Errno.EINVAL, "write-labels", "-i", corrupt.toString(), "nmem1");
        refused(Errno.ENOENT, "write-labels", "-i", dir.resolve("missing.bin").toString(), "nmem1");
        Path large = dir.resolve("large.bin");
        Files.write(large, new byte[K128 + 1]);
        NvdimmException big = refused(Errno.EINVAL, "write-labels", "-i", large.toString(), "nmem1");
        assertEquals("nmem1: the input has more than 131072 bytes, the label area's size (EINVAL)", big.getMessage());
        if (Files.isReadable(Path.of("/dev/zero"))) { // an endless input is refused after the area's size, not read out
            refused(Errno.EINVAL, "write-labels", "-i", "/dev/zero", "nmem1");
        }
        run("init-labels", "nmem1");
        Path good = dir.resolve("good.bin");
        run("read-labels", "-o", good.toString(), "nmem1");
        refused(Errno.EBUSY, "write-labels", "-i", good.toString(), "nmem0");
    }

    @Test
    void helpShowsTheOptions() {
        String help = commands.commands().usageText("init-labels").orElseThrow();
        assertTrue(help.contains("--label-version=VERSION"), help);
        assertTrue(commands.commands().usageText("read-labels").orElseThrow().contains("--json"));
    }
}
