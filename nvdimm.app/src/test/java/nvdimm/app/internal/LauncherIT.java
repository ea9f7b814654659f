package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged launcher as a user would, in its own JVM, in one-shot mode. */
class LauncherIT {

    private static final Pattern LB_ROW = Pattern.compile("^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*(\\d+)\\|(.*)$");

    record Run(int exit, String out, String err, long millis) {
    }

    @TempDir
    Path tmp;

    private Run nvdimm(String... args) throws IOException, InterruptedException {
        return nvdimmReading(Path.of("/dev/null"), args);
    }

    /** Runs the launcher with standard input read from {@code input} (a file, never a terminal). */
    private Run nvdimmReading(Path input, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("nvdimm.jar", "target/nvdimm.jar"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar",
                jar.toString(), "--data", tmp.resolve("data").toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(input.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nvdimm " + String.join(" ", args) + " did not exit within 60 s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), millis);
    }

    @Test
    void lbListsEveryBundleActive() throws Exception {
        Run run = nvdimm("-c", "lb");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        int rows = 0;
        for (String line : run.out().split("\n")) {
            Matcher m = LB_ROW.matcher(line);
            if (m.matches()) {
                rows++;
                assertEquals("Active", m.group(2), line);
            }
        }
        // the framework, 8 nvdimm bundles, SCR and its 3 API bundles, CM, EA, FileInstall, 3 Gogo,
        // JLine, 3 Jackson
        assertEquals(23, rows, run.out());
        for (String bsn : new String[] {"nvdimm.lockdep", "nvdimm.bus", "nvdimm.region", "nvdimm.namespace",
                "nvdimm.btt", "nvdimm.virtio", "nvdimm.emul", "nvdimm.shell"}) {
            assertTrue(run.out().contains("|" + bsn + " ("), bsn + " listed");
        }
        System.out.printf("one-shot 'lb' wall time including JVM start and stop: %d ms%n", run.millis());
    }

    @Test
    void aFreshDataDirectoryStartsWithTheDefaultEmulatedBus() throws Exception {
        Run first = nvdimm("-c", "ndctl:list -BDR");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("\"provider\":\"emul.default\""), first.out());
        for (String dev : new String[] {"nmem0", "nmem1", "nmem2", "region0", "region1"}) {
            assertTrue(first.out().contains("\"dev\":\"" + dev + "\""), first.out());
        }
        assertTrue(first.out().contains("\"size\":536870912"), "the 2-way interleaved region: " + first.out());
        Path media = tmp.resolve("data/media/emul.default");
        assertTrue(Files.isRegularFile(media.resolve("dimm0.img")), "DIMM files live in the data directory");
        System.out.printf("first start with the default bus (3 x 256 MiB sparse files created): %d ms%n", first.millis());

        Run again = nvdimm("-c", "ndctl:list -BDR");
        assertEquals(first.out(), again.out(), "a restart brings the same bus back");
        System.out.printf("restart on the same files: %d ms%n", again.millis());

        Files.delete(tmp.resolve("data/etc/nvdimm.emul-default.cfg"));
        Run removed = nvdimm("-c", "ndctl:list -B");
        assertEquals(0, removed.exit(), removed.err());
        assertEquals("", removed.out(), "the default is written on first use only");
    }

    @Test
    void anImageFileAttachesAsABusWithOneQemuDimm() throws Exception {
        Path image = tmp.resolve("guest.img");
        try (var f = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.truncate(0).position((64 << 20) - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
        }
        Run run = nvdimm("-c", "nvdimm:attach-image --label-size 128K --slot 1 " + image
                + "; ndctl:list -BD -b emul.guest");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("\"size\":66977792"), "64 MiB minus the 128 KiB label area: " + run.out());
        assertTrue(run.out().contains("\"id\":\"8680-57341200\""), "QEMU's identity for slot 1: " + run.out());

        Run missing = nvdimm("-c", "nvdimm:attach-image " + tmp.resolve("nope.img"));
        assertEquals(256 - 2, missing.exit(), "ENOENT's exit code, as ndctl's -errno: " + missing.err());
        assertTrue(missing.err().contains("(ENOENT)"), missing.err());

        Run badSlot = nvdimm("-c", "nvdimm:attach-image --slot x " + image);
        assertEquals(129, badSlot.exit(), "a usage error exits as ndctl's: " + badSlot.err());
        assertTrue(badSlot.err().contains("nvdimm attach-image: slot 'x' is not a number"), badSlot.err());
    }

    @Test
    void regionCommandsThroughGogoOnTheDefaultBus() throws Exception {
        Run run = nvdimm("-c", "ndctl:inject-error region1 -B 8 -n 2; ndctl:start-scrub; ndctl:wait-scrub;"
                + " ndctl:list -Rv -r region1; nvdimm:deep-flush region1; nvdimm:flush region1;"
                + " ndctl:clear-errors region1; ndctl:disable-region region0; lockdep:status");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("\"badblock_count\":2"), run.out());
        assertTrue(run.out().contains("\n1\n"), "deep_flush reads 1: " + run.out());
        assertTrue(run.out().contains(", 0 reports"), "no lock-order report on the way: " + run.out());
        assertTrue(run.out().startsWith("{\n  \"dev\":\"region1\""), "inject-error prints the region: " + run.out());
        assertTrue(run.err().contains("cleared 1 region"), run.err());
        assertTrue(run.err().contains("disabled 1 region"), run.err());

        Run unknown = nvdimm("-c", "nvdimm:flush region9");
        assertEquals(256 - 19, unknown.exit(), "ENODEV's exit code, as ndctl's -errno: " + unknown.err());
        assertTrue(unknown.err().contains("region9: no such region (ENODEV)"), unknown.err());
    }

    @Test
    void eachStatementsResultIsPrintedInOrder() throws Exception {
        Run run = nvdimm("-c", "echo one; x = 41; echo two && echo three\necho $x");
        assertEquals(0, run.exit(), run.err());
        assertEquals("one\n41\ntwo\nthree\n41\n", run.out());
    }

    @Test
    void aFailingCommandStopsTheRunWithItsMessageOnStderr() throws Exception {
        Run run = nvdimm("-c", "echo before; nosuch:command; echo after");
        assertEquals(OneShot.FAILED, run.exit());
        assertEquals("before\n", run.out());
        assertTrue(run.err().contains("nvdimm: nosuch:command: Command not found: nosuch:command"), run.err());
    }

    @Test
    void aCommandThatFailsWithoutThrowingGivesItsExitCode() throws Exception {
        Run run = nvdimm("-c", "cat " + tmp.resolve("missing"));
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("failed with exit code 1"), run.err());
    }

    @Test
    void scriptsRunFromAFile() throws Exception {
        Path script = Files.writeString(tmp.resolve("setup.gosh"), "# a comment\necho from script\n\nx = 1\nif { $x } {\n  echo inside\n}\n");
        Run run = nvdimm("-f", script.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("from script\n1\ninside\n", run.out());
    }

    @Test
    void badInputIsRefusedBeforeAnythingStarts() throws Exception {
        Run missing = nvdimm("-f", tmp.resolve("nope.gosh").toString());
        assertEquals(OneShot.SYNTAX, missing.exit());
        assertTrue(missing.err().contains("does not exist or is not a file"), missing.err());
        assertFalse(Files.exists(tmp.resolve("data")), "no data directory is made for a refused command line");

        Run syntax = nvdimm("-c", "echo {");
        assertEquals(OneShot.SYNTAX, syntax.exit());
        assertTrue(syntax.err().startsWith("nvdimm: syntax error:"), syntax.err());

        Run option = nvdimm("--frobnicate");
        assertEquals(OneShot.SYNTAX, option.exit());
        assertTrue(option.err().startsWith("nvdimm: unknown option '--frobnicate'\nusage: nvdimm"), option.err());
    }

    @Test
    void withoutATerminalStandardInputIsReadAsAScript() throws Exception {
        // cron and CI: no -c, standard input not a terminal; JLine used to spin there forever
        Run empty = nvdimm();
        assertEquals(0, empty.exit(), empty.err());
        assertEquals("", empty.out());

        Path piped = Files.writeString(tmp.resolve("piped.gosh"), "echo piped\nlist -B\n");
        Run run = nvdimmReading(piped);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("piped\n"), run.out());
        assertTrue(run.out().contains("\"provider\":\"emul.default\""), run.out());
    }

    @Test
    void exitAndQuitEndTheRunWithTheirCode() throws Exception {
        Run three = nvdimm("-c", "echo a; exit 3; echo b");
        assertEquals(3, three.exit(), three.err());
        assertEquals("a\n", three.out());

        Run quit = nvdimm("-c", "echo a; quit; echo b");
        assertEquals(0, quit.exit(), quit.err());
        assertEquals("a\n", quit.out());

        Run bare = nvdimm("-c", "exit");
        assertEquals(0, bare.exit(), bare.err());
        assertEquals("", bare.err());

        Run bad = nvdimm("-c", "exit x");
        assertEquals(OneShot.FAILED, bad.exit());
        assertTrue(bad.err().contains("exit: 'x' is not an exit code from 0 to 255"), bad.err());
    }

    @Test
    void aBadConfigurationFileIsOneLineOnStderrAndATraceInTheLog() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("data/etc"));
        Files.writeString(etc.resolve("nvdimm.emul-bad.cfg"), "dimms = x\n");
        Files.writeString(etc.resolve("nvdimm.emul-odd.cfg"), "dimm.size = 3\n");
        Run run = nvdimm("-c", "ndctl:list -B");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertTrue(lines.contains("nvdimm: etc/nvdimm.emul-bad.cfg: dimms: 'x' is not a whole number (EINVAL)"), run.err());
        assertTrue(lines.contains("nvdimm: etc/nvdimm.emul-odd.cfg: dimm.size: 3 is not a positive multiple of 4096 (EINVAL)"),
                run.err());
        assertEquals(2, lines.size(), "one line per bad file, no stack trace: " + run.err());
        String log = Files.readString(tmp.resolve("data/log/nvdimm.log"));
        assertTrue(log.contains("dimms: 'x' is not a whole number (EINVAL)"), log);
        assertTrue(log.contains("\tat nvdimm.emul."), "the log keeps the trace: " + log);
    }

    @Test
    void redirectionWritesWhatWouldHaveBeenPrinted() throws Exception {
        Path json = tmp.resolve("buses.json");
        Path bundles = tmp.resolve("bundles.txt");
        Run run = nvdimm("-c", "list -B > " + json + "; echo more >> " + json + "; lb > " + bundles);
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out(), "nothing redirected reaches stdout");
        String written = Files.readString(json);
        assertTrue(written.startsWith("[\n  {\n    \"provider\":\"emul.default\""), written);
        assertTrue(written.endsWith("]\nmore\n"), written);
        assertTrue(Files.readString(bundles).contains("|nvdimm.shell ("), "lb prints itself; its output is redirected too");
    }

    @Test
    void builtinsThatLookAtTheTerminalWorkOrSayWhyNot() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("listed"));
        Files.writeString(dir.resolve("some-file.txt"), "text\n");
        Run ls = nvdimm("-c", "ls " + dir);
        assertEquals(0, ls.exit(), ls.err());
        assertTrue(ls.out().contains("some-file.txt"), ls.out());

        Run sh = nvdimm("-c", "sh -c 'echo inner'");
        assertEquals(0, sh.exit(), sh.err());
        assertTrue(sh.out().contains("inner"), sh.out());

        Run less = nvdimm("-c", "less " + dir.resolve("some-file.txt"));
        assertEquals(OneShot.FAILED, less.exit());
        assertTrue(less.err().contains("less: a pager needs a terminal"), less.err());
        assertFalse(less.err().contains("NullPointerException"), less.err());
    }

    @Test
    void grepDoesNotColourOutputThatIsNoTerminal() throws Exception {
        Run run = nvdimm("-c", "lb | grep Declarative");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("Apache Felix Declarative Services"), run.out());
        assertFalse(run.out().contains("\u001b["), "no escape sequences in a file: " + run.out());
    }

    @Test
    void helpGoesToStdout() throws Exception {
        Run run = nvdimm("--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("usage: nvdimm"), run.out());
    }
}
