package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A virtio-pmem device as a user meets it: a FileInstall configuration, a bus with provider virtio-pmem,
 * a BTT on its label-less namespace, data flushed through the host surviving the device's removal and
 * return and a restart, and the virtio commands.
 */
class VirtioRuntimeIT {

    record Run(int exit, String out, String err) {
    }

    private static final Pattern NAMESPACE = Pattern.compile("\"dev\":\"(namespace\\d+\\.0)\"");
    private static final Pattern BLOCKDEV = Pattern.compile("\"blockdev\":\"(pmem\\d+s)\"");

    @TempDir
    Path tmp;

    private static Run run(Launcher launcher, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new OneShot(launcher.context(), InputStream.nullInputStream(), new PrintStream(out, true),
                new PrintStream(err, true)).run("", script);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String commands(Launcher launcher, String script) throws Exception {
        Run r = run(launcher, script);
        assertEquals(0, r.exit(), script + ": " + r.err());
        return r.out();
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in " + text);
        return m.group(1);
    }

    private static boolean hasVirtioBus(Launcher launcher) {
        try {
            return run(launcher, "ndctl:list -B -b virtio-pmem").out().contains("\"provider\":\"virtio-pmem\"");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void sectorDataFlushedThroughTheHostSurvivesRemovingTheDeviceBringingItBackAndARestart() throws Exception {
        Path data = tmp.resolve("data");
        Path cfg = data.resolve("etc/nvdimm.virtio-vp0.cfg");
        Files.createDirectories(cfg.getParent());
        String config = "path = media/vp0.img\nsize = 64M\nqueue.size = 16\n";
        Files.writeString(cfg, config);
        byte[] pattern = new byte[16384];
        new Random(13).nextBytes(pattern);
        Path in = tmp.resolve("pattern.bin");
        Files.write(in, pattern);
        Path out1 = tmp.resolve("back1.bin");
        Path out2 = tmp.resolve("back2.bin");
        String blockdev;
        try (Launcher launcher = Launcher.start(data, quiet())) {
            HotDeployIT.await("the virtio-pmem bus", () -> hasVirtioBus(launcher));
            String buses = commands(launcher, "ndctl:list -BR -b virtio-pmem");
            assertTrue(buses.contains("\"persistence_domain\":\"unknown\""), buses);
            assertFalse(buses.contains("\"mappings\""), "no DIMMs: " + buses);
            assertEquals(67108864L, Files.size(data.resolve("media/vp0.img")), "created sparse, full size");
            String ns = group(NAMESPACE, commands(launcher, "ndctl:list -N -b virtio-pmem"));
            String sector = commands(launcher, "ndctl:create-namespace -f -e " + ns + " -m sector");
            blockdev = group(BLOCKDEV, sector);
            Run dd = run(launcher, "nvdimm:dd if=" + in + " of=" + blockdev + " bs=4k count=4");
            assertEquals(0, dd.exit(), dd.err());
            String status = commands(launcher, "virtio:status vp0");
            assertTrue(status.matches("(?s).*\"host_forces\":[1-9].*"), "the flush reached the host: " + status);
            assertTrue(status.contains("\"queue_size\":16"), status);
            String region = commands(launcher, "ndctl:list -R -b virtio-pmem");
            String regionName = group(Pattern.compile("\"dev\":\"(region\\d+)\""), region);
            commands(launcher, "nvdimm:flush " + regionName);

            Files.delete(cfg); // the device goes: FileInstall deletes its configuration
            HotDeployIT.await("the virtio-pmem bus to go", () -> !hasVirtioBus(launcher));
            Files.writeString(cfg, config); // and comes back on the same file
            try {
                HotDeployIT.await("the virtio-pmem bus to return", () -> hasVirtioBus(launcher));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + HotDeployIT.log(data), e);
            }
            HotDeployIT.await(blockdev + " to return", () -> {
                try {
                    return run(launcher, "ndctl:list -N -b virtio-pmem").out().contains("\"blockdev\":\"" + blockdev);
                } catch (Exception e) {
                    return false;
                }
            });
            Run back = run(launcher, "nvdimm:dd if=" + blockdev + " of=" + out1 + " bs=4k count=4");
            assertEquals(0, back.exit(), back.err());
        }
        assertArrayEquals(pattern, Files.readAllBytes(out1), "the data came back with the device");
        try (Launcher again = Launcher.start(data, quiet())) {
            HotDeployIT.await("the virtio-pmem bus after a restart", () -> hasVirtioBus(again));
            String listing = commands(again, "ndctl:list -N -b virtio-pmem");
            assertTrue(listing.contains("\"mode\":\"sector\""), "the BTT came back from its info block: " + listing);
            Run back = run(again, "nvdimm:dd if=" + blockdev + " of=" + out2 + " bs=4k count=4");
            assertEquals(0, back.exit(), back.err());
        }
        assertArrayEquals(pattern, Files.readAllBytes(out2), "the data survived the restart");
    }

    @Test
    void injectedFaultsReachTheFlushCallerAndClearRecovers() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/nvdimm.virtio-vq.cfg"), "path = vq.img\nsize = 16M\n");
        try (Launcher launcher = Launcher.start(data, quiet())) {
            HotDeployIT.await("the virtio-pmem bus", () -> hasVirtioBus(launcher));
            String region = group(Pattern.compile("\"dev\":\"(region\\d+)\""),
                    commands(launcher, "ndctl:list -R -b virtio-pmem"));
            commands(launcher, "virtio:inject vq fail-flush --count 1");
            Run failed = run(launcher, "nvdimm:flush " + region);
            assertEquals(256 - 5, failed.exit(), "EIO's exit code: " + failed.err());
            assertTrue(failed.err().contains("(EIO)"), failed.err());
            assertFalse(failed.err().contains("\tat "), "no stack trace: " + failed.err());
            commands(launcher, "nvdimm:flush " + region);
            commands(launcher, "virtio:inject vq kick-fail");
            assertEquals(256 - 5, run(launcher, "nvdimm:flush " + region).exit());
            assertTrue(commands(launcher, "virtio:status vq").contains("\"broken\":true"));
            assertEquals(256 - 5, run(launcher, "nvdimm:flush " + region).exit(), "broken: EIO at once");
            commands(launcher, "virtio:clear vq");
            commands(launcher, "nvdimm:flush " + region);
            String status = commands(launcher, "virtio:status");
            assertTrue(status.contains("\"broken\":false") && status.matches("(?s).*\"faults\":\\[\\s*\\].*"), status);
            Run unknown = run(launcher, "virtio:inject nosuch break");
            assertEquals(256 - 19, unknown.exit(), "ENODEV: " + unknown.err());
            assertTrue(unknown.err().contains("nosuch: no such virtio-pmem device; the devices are vq"), unknown.err());
        }
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheKeyAndCreatesNothing() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/nvdimm.virtio-bad.cfg"), "path = bad.img\nsize = 64M\nqueue.size = 100\n");
        try (Launcher launcher = Launcher.start(data, quiet())) {
            HotDeployIT.await("the refusal in the log", () -> HotDeployIT.log(data)
                    .contains("nvdimm.virtio~bad: queue.size: 100 is not a power of two"));
            assertFalse(hasVirtioBus(launcher));
            assertFalse(Files.exists(data.resolve("bad.img")), "nothing created");
        }
    }
}
