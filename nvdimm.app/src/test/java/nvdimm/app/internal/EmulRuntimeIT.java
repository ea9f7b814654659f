package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated provider and the data directory as a user meets them: the packaged launcher in its
 * own JVM, sometimes beside a runtime started in this JVM.
 */
class EmulRuntimeIT {

    record Run(int exit, String out, String err) {
    }

    @TempDir
    Path tmp;

    private Run nvdimm(Path data, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("nvdimm.jar", "target/nvdimm.jar"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar",
                jar.toString(), "--data", data.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nvdimm " + String.join(" ", args) + " did not exit within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs one-shot commands in a runtime of this JVM; returns stdout, fails on a non-zero exit. */
    private static String commands(Launcher launcher, String script) throws Exception {
        Run run = run(launcher, script);
        assertEquals(0, run.exit(), run.err());
        return run.out();
    }

    /** Runs a script one-shot on a running launcher. */
    private static Run run(Launcher launcher, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new OneShot(launcher.context(), InputStream.nullInputStream(), new PrintStream(out, true),
                new PrintStream(err, true)).run("", script);
        return new Run(exit, out.toString(), err.toString());
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aSecondRuntimeOnTheSameDataDirectoryIsRefusedNamingTheFirst() throws Exception {
        Path data = tmp.resolve("data");
        try (Launcher first = Launcher.start(data, quiet())) {
            List<String> framework = listing(data.resolve("framework"));
            Run second = nvdimm(data, "-c", "ndctl:list -B");
            assertEquals(OneShot.FAILED, second.exit(), second.out() + second.err());
            assertTrue(second.err().startsWith("nvdimm: data directory " + data + " is in use by process "
                    + ProcessHandle.current().pid() + " ("), second.err());
            assertTrue(second.err().contains("stop that runtime or give another --data"), second.err());
            assertEquals("", second.out());
            assertEquals(framework, listing(data.resolve("framework")), "the first runtime's framework/ is untouched");
            assertTrue(commands(first, "ndctl:list -B").contains("\"provider\":\"emul.default\""));
        }
        Run after = nvdimm(data, "-c", "ndctl:list -B");
        assertEquals(0, after.exit(), "the lock goes with the first runtime: " + after.err());
    }

    private Path image(String name, long size) throws IOException {
        Path file = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    @Test
    void anImageAttachedInOneRuntimeIsRefusedByAnother() throws Exception {
        Path image = image("guest.img", 16 << 20);
        try (Launcher first = Launcher.start(tmp.resolve("a"), quiet())) {
            commands(first, "nvdimm:attach-image --label-size 0 " + image);
            Run second = nvdimm(tmp.resolve("b"), "-c", "nvdimm:attach-image --label-size 0 " + image);
            assertEquals(256 - 16, second.exit(), "EBUSY's exit code: " + second.out() + second.err());
            assertTrue(second.err().contains(image.toRealPath() + ": in use: "), second.err());
            assertTrue(second.err().contains("(EBUSY)"), second.err());
            commands(first, "nvdimm:detach-image guest");
        }
        Run later = nvdimm(tmp.resolve("b"), "-c", "nvdimm:attach-image --label-size 0 " + image);
        assertEquals(0, later.exit(), "detached, the image is free again: " + later.err());
    }

    @Test
    void injectedPoisonSurvivesARestart() throws Exception {
        Path data = tmp.resolve("data");
        Run inject = nvdimm(data, "-c", "ndctl:inject-error region1 -B 8 -n 2");
        assertEquals(0, inject.exit(), inject.err());
        assertTrue(Files.isRegularFile(data.resolve("media/emul.default/dimm2.img.poison")));
        Run after = nvdimm(data, "-c", "ndctl:start-scrub; ndctl:wait-scrub; ndctl:list -Rv -r region1");
        assertEquals(0, after.exit(), after.err());
        assertTrue(after.out().contains("\"badblock_count\":2"), "the poison came back with the DIMM: " + after.out());
        Run cleared = nvdimm(data, "-c", "ndctl:clear-errors -s region1");
        assertEquals(0, cleared.exit(), cleared.err());
        assertFalse(Files.exists(data.resolve("media/emul.default/dimm2.img.poison")));
    }

    @Test
    void namespacesComeBackFromTheirLabelsAfterARestartAndRefusalsChangeNothing() throws Exception {
        Path data = tmp.resolve("data");
        Path pattern = tmp.resolve("pattern.bin");
        byte[] bytes = new byte[16384];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(pattern, bytes);
        Run first = nvdimm(data, "-c", "ndctl:disable-region region0; ndctl:init-labels -V 1.2 nmem0 nmem1;"
                + " ndctl:enable-region region0;"
                + " ndctl:create-namespace -r region0 -s 64m -n db -u 6830f039-7914-423e-bad6-22bda8fde8d6;"
                + " ndctl:create-namespace -r region0 -s 32m; ndctl:disable-namespace namespace0.1;"
                + " nvdimm:dd if=" + pattern + " of=pmem0 bs=4k count=4");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.err().contains("initialized 2 nmems"), first.err());
        assertTrue(first.err().contains("disabled 1 namespace"), first.err());

        Path labels = tmp.resolve("labels-before.bin");
        Path copy = tmp.resolve("copy.bin");
        Run second = nvdimm(data, "-c", "ndctl:list -N -r region0; ndctl:read-labels -o " + labels + " nmem0 nmem1;"
                + " nvdimm:dd if=pmem0 of=" + copy + " bs=4k count=4");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("\"uuid\":\"6830f039-7914-423e-bad6-22bda8fde8d6\""), second.out());
        assertTrue(second.out().contains("\"name\":\"db\""), second.out());
        assertTrue(second.out().contains("\"size\":67108864") && second.out().contains("\"size\":33554432"),
                second.out());
        assertFalse(second.out().contains("disabled"), "disabling does not last across a restart: " + second.out());
        assertArrayEquals(bytes, Files.readAllBytes(copy), "the data written through pmem0 came back");

        Run misaligned = nvdimm(data, "-c", "ndctl:create-namespace -r region0 -s 5m");
        assertEquals(256 - 22, misaligned.exit(), "EINVAL, as ndctl exits: " + misaligned.err());
        Run busy = nvdimm(data, "-c", "ndctl:destroy-namespace namespace0.0");
        assertEquals(256 - 16, busy.exit(), "EBUSY without -f: " + busy.err());
        assertTrue(busy.err().contains("destroyed 0 namespaces"), busy.err());
        Run active = nvdimm(data, "-c", "ndctl:init-labels -f nmem0");
        assertEquals(1, active.exit(), "ndctl's label commands exit 1: " + active.err());
        assertTrue(active.err().contains("nmem0: regions active, abort label write"), active.err());
        assertTrue(active.err().contains("initialized 0 nmem"), active.err());
        Path after = tmp.resolve("labels-after.bin");
        Run read = nvdimm(data, "-c", "ndctl:read-labels -o " + after + " nmem0 nmem1");
        assertEquals(0, read.exit(), read.err());
        assertArrayEquals(Files.readAllBytes(labels), Files.readAllBytes(after), "the refusals wrote no label");
    }

    @Test
    void aCorruptPoisonListIsReportedNamingTheFile() throws Exception {
        Path data = tmp.resolve("data");
        assertEquals(0, nvdimm(data, "-c", "ndctl:inject-error region1 -B 8").exit());
        Path list = data.resolve("media/emul.default/dimm2.img.poison");
        Files.writeString(list, "garbage\n");
        Run run = nvdimm(data, "-c", "ndctl:list -B");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out(), "the bus stays down");
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        String problem = list + ": line 1: 'garbage' is not an address and a length; the poison list is corrupt:"
                + " repair or delete the file (EINVAL)";
        assertTrue(run.err().contains(problem), "one line naming the file: " + run.err());
        assertTrue(HotDeployIT.log(data).contains(problem), "the log keeps it, with its trace");
        assertEquals("garbage\n", Files.readString(list), "the list is left for the user to repair");
    }

    /** The README's example of a bus configuration, as printed there. */
    @Test
    void theReadmeExampleConfigurationGivesAFourDimmBus() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/nvdimm.emul-four.cfg"), """
                # 1 to 64
                dimms = 4
                # a multiple of 4 KiB; K, M, G, T suffixes
                dimm.size = 1G
                # per DIMM (comma list) or one for all; 0 = no labels, else at least 128K
                label.size = 256K
                # DIMMs joined by +, optional :granularity; regions separated by , (empty: none)
                regions = 0+1+2+3:8K
                # file (under media/) or memory
                backing = file
                """);
        Files.writeString(data.resolve("etc/nvdimm.emul-any.cfg"), "dimms = 4\n");
        Run run = nvdimm(data, "-c", "ndctl:list -BDR -b emul.four; ndctl:list -D -b emul.any");
        assertEquals(0, run.exit(), run.err() + HotDeployIT.log(data));
        assertEquals(8, run.out().split("\"dev\":\"nmem").length - 1, run.out());
        assertTrue(run.out().contains("\"size\":4294967296"), "one region over the 4 DIMMs: " + run.out());
    }

    @Test
    void checkImageGivesVerdictsOnAFileThatIsNotAttachedAndWritesOnlyWithRepair() throws Exception {
        Path image = image("sector.img", 20 << 20);
        try (nvdimm.bus.Medium m = nvdimm.bus.Media.mapFile(image)) {
            nvdimm.btt.internal.engine.Btt.format(m, nvdimm.btt.internal.format.BttVersion.V1_1, 512,
                    java.util.UUID.randomUUID(), nvdimm.btt.internal.format.InfoBlock.NIL_UUID);
            m.sync();
        }
        Path data = tmp.resolve("data");
        String check = "nvdimm:check-image --label-size 0 " + image;
        Run clean = nvdimm(data, "-c", check);
        assertEquals(0, clean.exit(), clean.out() + clean.err());
        assertTrue(clean.out().contains("BTT 1.1, 1 arena: consistent"), clean.out());
        assertTrue(clean.err().contains("checked 1 namespace"), clean.err());

        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(4096 + 200); // the primary info block of the v1.1 BTT
            f.write(0x5a);
        }
        byte[] damaged = Files.readAllBytes(image);
        Run dry = nvdimm(data, "-c", check + " -j");
        assertEquals(250, dry.exit(), "damage left: ndctl's -ENXIO: " + dry.out() + dry.err());
        assertTrue(dry.out().contains("\"status\":\"needs-repair\""), dry.out());
        assertTrue(dry.err().contains("run with --repair"), dry.err());
        assertArrayEquals(damaged, Files.readAllBytes(image), "a check without --repair wrote to the file");

        Run repair = nvdimm(data, "-c", check + " --repair");
        assertEquals(1, repair.exit(), "repaired: " + repair.out() + repair.err());
        assertTrue(repair.out().contains("[repaired]"), repair.out());
        Run again = nvdimm(data, "-c", check);
        assertEquals(0, again.exit(), again.out() + again.err());

        Run none = nvdimm(data, "-c", "nvdimm:check-image --label-size 0 " + image("zeros.img", 20 << 20));
        assertEquals(250, none.exit(), none.out() + none.err());
        assertTrue(none.err().contains("no BTT"), none.err());
        Run missing = nvdimm(data, "-c", "nvdimm:check-image " + tmp.resolve("missing.img"));
        assertEquals(256 - 2, missing.exit(), "ENOENT: " + missing.err());
        Run bad = nvdimm(data, "-c", "nvdimm:check-image -L " + image);
        assertEquals(129, bad.exit(), "--rewrite-log without --repair is a usage error: " + bad.err());
    }

    @Test
    void checkNamespaceChecksAnAttachedSectorNamespaceAsNdctlDoes() throws Exception {
        Path image = image("sector.img", 20 << 20);
        long info2;
        try (nvdimm.bus.Medium m = nvdimm.bus.Media.mapFile(image)) {
            var layout = nvdimm.btt.internal.engine.Btt.format(m, nvdimm.btt.internal.format.BttVersion.V1_1, 512,
                    java.util.UUID.randomUUID(), nvdimm.btt.internal.format.InfoBlock.NIL_UUID);
            info2 = 4096 + layout.arenas().getFirst().info2Offset();
            m.sync();
        }
        Path raw = image("raw.img", 20 << 20);
        try (Launcher l = Launcher.start(tmp.resolve("data"), quiet())) {
            commands(l, "nvdimm:attach-image --label-size 0 --slot 3 " + image);
            String listed = commands(l, "ndctl:list -N -b emul.sector");
            java.util.regex.Matcher dev = java.util.regex.Pattern.compile("\"dev\":\"(namespace[0-9.]+)\"")
                    .matcher(listed);
            assertTrue(dev.find() && listed.contains("\"mode\":\"sector\""), listed);
            String ns = dev.group(1);

            Run online = run(l, "ndctl:check-namespace " + ns);
            assertEquals(256 - 16, online.exit(), "EBUSY, as ndctl: " + online.err());
            assertTrue(online.err().contains(ns + ": check aborted, namespace online"), online.err());

            Run forced = run(l, "ndctl:check-namespace -f " + ns);
            assertEquals(0, forced.exit(), forced.out() + forced.err());
            assertTrue(forced.err().contains("checked 1 namespace"), forced.err());
            assertTrue(commands(l, "ndctl:list -N -n " + ns).contains("\"mode\":\"sector\""),
                    "the BTT came back after the forced check");

            commands(l, "ndctl:disable-namespace " + ns);
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.seek(info2 + 300);
                f.write(0x42);
            }
            Run dry = run(l, "ndctl:check-namespace -j " + ns);
            assertEquals(250, dry.exit(), dry.out() + dry.err());
            assertTrue(dry.out().contains("\"check\":\"info2\"") && dry.out().contains("needs-repair"), dry.out());
            assertTrue(commands(l, "ndctl:list -N -i -n " + ns).contains("\"state\":\"disabled\""),
                    "a disabled namespace stays disabled after its check");
            Run repaired = run(l, "ndctl:check-namespace --repair " + ns);
            assertEquals(1, repaired.exit(), repaired.out() + repaired.err());
            assertTrue(repaired.out().contains("[repaired]"), repaired.out());
            assertEquals(0, run(l, "ndctl:check-namespace all").exit());

            commands(l, "nvdimm:attach-image --label-size 0 --slot 4 " + raw);
            String rawListed = commands(l, "ndctl:list -N -b emul.raw");
            java.util.regex.Matcher rawDev = java.util.regex.Pattern.compile("\"dev\":\"(namespace[0-9.]+)\"")
                    .matcher(rawListed);
            assertTrue(rawDev.find(), rawListed);
            Run notSector = run(l, "ndctl:check-namespace -f " + rawDev.group(1));
            assertEquals(250, notSector.exit(), notSector.err());
            assertTrue(notSector.err().contains("not a sector mode namespace"), notSector.err());
            Run missing = run(l, "ndctl:check-namespace namespace9.9");
            assertEquals(250, missing.exit(), missing.err());

            // a BTT whose primary info block is gone no longer probes: the namespace shows raw, yet the check
            // finds the backup, repairs it, and the BTT comes back
            Path damaged = image("damaged.img", 20 << 20);
            try (nvdimm.bus.Medium m = nvdimm.bus.Media.mapFile(damaged)) {
                nvdimm.btt.internal.engine.Btt.format(m, nvdimm.btt.internal.format.BttVersion.V1_1, 4096,
                        java.util.UUID.randomUUID(), nvdimm.btt.internal.format.InfoBlock.NIL_UUID);
                m.write(4096, new byte[64]);
                m.sync();
            }
            commands(l, "nvdimm:attach-image --label-size 0 --slot 5 " + damaged);
            String before = commands(l, "ndctl:list -N -b emul.damaged");
            assertTrue(before.contains("\"mode\":\"raw\""), before);
            java.util.regex.Matcher d = java.util.regex.Pattern.compile("\"dev\":\"(namespace[0-9.]+)\"")
                    .matcher(before);
            assertTrue(d.find(), before);
            Run fixed = run(l, "ndctl:check-namespace -f -R " + d.group(1));
            assertEquals(1, fixed.exit(), fixed.out() + fixed.err());
            assertTrue(fixed.out().contains("rebuilt from the backup info block of arena 0"), fixed.out());
            String after = commands(l, "ndctl:list -N -b emul.damaged");
            assertTrue(after.contains("\"mode\":\"sector\"") && after.contains("s\""), after);
        }
    }
}
