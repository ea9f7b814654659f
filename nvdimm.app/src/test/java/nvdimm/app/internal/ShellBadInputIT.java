package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.ServiceReference;

/**
 * Every command the stack registers, given bad input in one-shot mode as a user types it
 * ({@link BadInputTable}): a clear message on stderr naming the object and the problem, the exit code
 * ndctl gives, no Java stack trace or exception name, and nothing changed (the listing of every bus, DIMM,
 * region and namespace, the validator's mode, and every byte of the media, image and working files).
 * One runtime in this JVM runs every row; a command registered without rows fails the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShellBadInputIT {

    record Run(int exit, String out, String err) {
    }

    /** A Java stack frame, or a qualified exception class name, in what the user sees. */
    private static final Pattern JAVA_LEAK = Pattern.compile(
            "\\tat [\\w.$]+\\(|Exception|(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*(?:Error|Throwable)\\b|\\bCaused by\\b");

    private Path data;
    private Path work;
    private Launcher launcher;
    private String profile;

    @BeforeAll
    void aRuntimeWithNamespacesAnImageAndAnEmptyBus(@TempDir Path tmp) throws Exception {
        data = tmp.resolve("data");
        work = Files.createDirectories(tmp.resolve("work"));
        Path etc = Files.createDirectories(data.resolve("etc"));
        Files.writeString(etc.resolve("nvdimm.emul-default.cfg"), """
                dimms = 3
                dimm.size = 32M
                label.size = 128K,128K,0
                regions = 0+1:4096,2
                """);
        Files.writeString(etc.resolve("nvdimm.emul-empty.cfg"), """
                dimms = 1
                dimm.size = 16M
                label.size = 0
                regions =
                backing = memory
                """);
        sized(work.resolve("img.img"), 16 << 20);
        sized(work.resolve("spare.img"), 16 << 20);
        Files.write(work.resolve("labels-wrong-size.bin"), new byte[4096]);
        Files.write(work.resolve("labels-zero.bin"), new byte[128 << 10]);
        byte[] bytes = new byte[65536];
        new Random(14).nextBytes(bytes);
        Files.write(work.resolve("data.bin"), bytes);
        launcher = Launcher.start(data, new PrintStream(OutputStream.nullOutputStream()));
        profile = Files.readString(data.resolve("shell/etc/gosh_profile"));
        Run setup = run(BadInputTable.SETUP);
        assertEquals(0, setup.exit(), setup.err());
    }

    @AfterAll
    void stop() {
        if (launcher != null) {
            launcher.close();
        }
    }

    private static void sized(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** Runs a script one-shot; what it may change is no longer {@link #known}. */
    private Run run(String script) throws Exception {
        known = null;
        return oneShot(script);
    }

    private Run oneShot(String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new OneShot(launcher.context(), InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(profile, script.replace("WORK", work.toString()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a row must not change: the whole listing, the validator's mode, and every file's bytes. */
    private Map<String, String> state() throws Exception {
        Map<String, String> state = new TreeMap<>();
        Run list = oneShot("ndctl:list -BDRNiv");
        assertEquals(0, list.exit(), list.err());
        state.put("ndctl:list -BDRNiv", list.out());
        state.put("lockdep:mode", oneShot("lockdep:mode").out());
        try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath())) { // a relative name lands here
            state.put("working directory", files.map(p -> p.getFileName().toString()).sorted().toList().toString());
        }
        for (Path dir : List.of(data.resolve("media"), data.resolve("etc"), data.resolve("deploy"), work)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted().toList()) {
                    state.put(f.toString(), Files.isDirectory(f) ? "dir" : digest(f));
                }
            }
        }
        return state;
    }

    private static String digest(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            CRC32C crc = new CRC32C();
            long size = ch.size();
            for (long at = 0; at < size; at += 1 << 30) {
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(1 << 30, size - at));
                crc.update(b);
            }
            return size + " bytes, crc32c " + Long.toHexString(crc.getValue());
        }
    }

    Stream<BadInputRow> populated() {
        return BadInputTable.rows().stream().filter(r -> !r.emptied());
    }

    Stream<BadInputRow> emptied() {
        return BadInputTable.rows().stream().filter(BadInputRow::emptied);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("populated")
    void refusedClearlyAndNothingChanges(BadInputRow row) throws Exception {
        check(row);
    }

    @Order(2)
    @TestFactory
    Stream<DynamicTest> everyCommandRefusesAnUnknownOption() throws Exception {
        return registeredCommands().stream().map(command -> DynamicTest.dynamicTest(command + " --no-such-option",
                () -> check(BadInputRow.fails(command + " --no-such-option", BadInputTable.USAGE, "no-such-option"))));
    }

    @Order(3)
    @Test
    void everyRegisteredCommandHasRowsAndEveryRowARegisteredCommand() throws Exception {
        Collection<String> registered = registeredCommands();
        List<BadInputRow> rows = BadInputTable.rows();
        assertEquals(List.of(), withoutRows(registered, rows),
                "commands registered without bad-input rows in BadInputTable: add them");
        TreeSet<String> covered = new TreeSet<>(rows.stream().map(BadInputRow::command).toList());
        List<String> stale = covered.stream().filter(c -> !registered.contains(c)).toList();
        assertEquals(List.of(), stale, "rows for commands no bundle registers");
        // the check names a command whose rows are gone
        List<BadInputRow> lacking = rows.stream().filter(r -> !r.command().equals("ndctl:list")).toList();
        assertEquals(List.of("ndctl:list"), withoutRows(registered, lacking));
    }

    /** The registered commands that no row exercises. */
    static List<String> withoutRows(Collection<String> registered, List<BadInputRow> rows) {
        TreeSet<String> covered = new TreeSet<>(rows.stream().map(BadInputRow::command).toList());
        return registered.stream().filter(c -> !covered.contains(c)).toList();
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource("emptied")
    void onceEverythingIsDestroyedAllSelectsNothing(BadInputRow row) throws Exception {
        if (!destroyed) {
            Run r = run(BadInputTable.EMPTYING);
            assertEquals(0, r.exit(), r.err());
            destroyed = true;
        }
        check(row);
    }

    private boolean destroyed;

    /** Negative control: a statement that changes the media or the listing fails {@link #check}, naming what changed. */
    @Order(5)
    @Test
    void aChangeToTheMediaOrTheListingIsSeen() throws Exception {
        AssertionError media = assertThrows(AssertionError.class, () -> check(BadInputRow.documented(
                "nvdimm:dd if=WORK/data.bin of=pmem1 bs=4k", "a copy onto a device, not bad input")));
        assertTrue(media.getMessage().contains("dimm2.img"), media.getMessage());
        AssertionError listing = assertThrows(AssertionError.class, () -> check(BadInputRow.documented(
                "ndctl:disable-namespace namespace1.0", "disabling a namespace, not bad input", "disabled 1 namespace")));
        assertTrue(listing.getMessage().contains("ndctl:list -BDRNiv"), listing.getMessage());
        Run enable = run("ndctl:enable-namespace namespace1.0");
        assertEquals(0, enable.exit(), enable.err());
    }

    /** The state after the last row, the next row's before (null: something else ran since). */
    private Map<String, String> known;

    private void check(BadInputRow row) throws Exception {
        Map<String, String> before = known != null ? known : state();
        Run run = run(row.line());
        String line = row.line().replace("WORK", work.toString());
        // the one-shot echo of the statement names the object already: only the message counts
        String said = run.err().replace("nvdimm: " + line + ": ", "") + (row.exit() == 0 ? run.out() : "");
        String shown = "exit " + run.exit() + ", stdout: " + run.out() + "stderr: " + run.err();
        assertEquals(row.exit(), run.exit(), shown);
        for (String part : row.says()) {
            assertTrue(said.contains(part.replace("WORK", work.toString())), "says '" + part + "': " + shown);
        }
        if (!row.says().isEmpty() || row.exit() != 0) {
            assertTrue(!said.isBlank(), "a message: " + shown);
        }
        if (row.exit() != 0) {
            assertEquals("", run.out(), "nothing on stdout: " + shown);
        }
        if (JAVA_LEAK.matcher(run.err()).find()) {
            fail("Java in what the user sees: " + shown);
        }
        Map<String, String> after = state();
        known = after;
        if (!before.equals(after)) {
            List<String> changed = new ArrayList<>();
            for (String key : new TreeSet<>(List.copyOf(union(before, after)))) {
                if (!String.valueOf(before.get(key)).equals(String.valueOf(after.get(key)))) {
                    changed.add(key + ":\n  before " + before.get(key) + "\n  after  " + after.get(key));
                }
            }
            fail("'" + row.line() + "' changed " + String.join("\n", changed) + "\n" + shown);
        }
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    /**
     * Every Gogo command the stack's bundles register ({@code osgi.command.scope} and
     * {@code osgi.command.function} on any service of a bundle named {@code nvdimm*}), as {@code scope:function}.
     * Felix's and Gogo's own commands are theirs to check.
     */
    private Collection<String> registeredCommands() throws Exception {
        TreeSet<String> commands = new TreeSet<>();
        ServiceReference<?>[] refs = launcher.context().getAllServiceReferences(null, "(osgi.command.scope=*)");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            if (!ref.getBundle().getSymbolicName().startsWith("nvdimm")) {
                continue;
            }
            Object scope = ref.getProperty("osgi.command.scope");
            Object functions = ref.getProperty("osgi.command.function");
            List<Object> names = functions instanceof Object[] a ? List.of(a)
                    : functions instanceof Collection<?> c ? List.copyOf(c) : List.of(functions);
            for (Object f : names) {
                commands.add(scope + ":" + f);
            }
        }
        assertTrue(commands.contains("ndctl:list"), "the stack registered its commands: " + commands);
        return commands;
    }
}
