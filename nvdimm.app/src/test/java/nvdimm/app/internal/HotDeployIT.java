package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** FileInstall in the launcher's runtime: deploy/ jars come and go while it runs. */
class HotDeployIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void aJarDroppedIntoDeployIsStartedAndDeletingItUninstallsIt() throws Exception {
        Path data = tmp.resolve("data");
        try (Launcher launcher = Launcher.start(data, new PrintStream(OutputStream.nullOutputStream()))) {
            BundleContext ctx = launcher.context();
            Path staged = writeBundle(tmp.resolve("hot.deploy.probe.jar"), "hot.deploy.probe");
            // move, not copy: FileInstall must never see a half-written jar
            Files.move(staged, data.resolve("deploy").resolve("hot.deploy.probe.jar"), StandardCopyOption.ATOMIC_MOVE);

            await("the dropped bundle to become ACTIVE",
                    () -> find(ctx, "hot.deploy.probe").map(b -> b.getState() == Bundle.ACTIVE).orElse(false));

            Files.delete(data.resolve("deploy").resolve("hot.deploy.probe.jar"));
            await("the deleted bundle to be uninstalled", () -> find(ctx, "hot.deploy.probe").isEmpty());
        }
    }

    @Test
    void jarsAlreadyInDeployAreRunningWhenStartReturns() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("deploy"));
        writeBundle(data.resolve("deploy").resolve("early.jar"), "early.probe");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Launcher launcher = Launcher.start(data, new PrintStream(err, true))) {
            assertEquals("", err.toString(), "the barrier saw FileInstall take the jar in, it did not time out");
            Bundle early = find(launcher.context(), "early.probe").orElse(null);
            assertNotNull(early, "the startup barrier waits for FileInstall's first scan");
            assertEquals(Bundle.ACTIVE, early.getState());
        }
    }

    @Test
    void configurationsInEtcAreAppliedWhenStartReturns() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc").resolve("probe.pid.cfg"), "answer = 42\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Launcher launcher = Launcher.start(data, new PrintStream(err, true))) {
            assertEquals("", err.toString(), () -> "the barrier saw FileInstall apply etc/probe.pid.cfg; log:\n" + log(data));
            assertTrue(new StartupBarrier(launcher.context(), launcher.data()).pending().isEmpty());
        }
    }

    @Test
    void theBarrierNamesWhatItIsStillWaitingFor() throws Exception {
        try (Launcher launcher = Launcher.start(tmp.resolve("data"), new PrintStream(OutputStream.nullOutputStream()))) {
            Path later = launcher.data().etc().resolve("late.pid.cfg");
            StartupBarrier barrier = new StartupBarrier(launcher.context(), launcher.data());
            assertTrue(barrier.pending().isEmpty());
            Files.writeString(later, "x = 1\n");
            StartupBarrier snapshot = new StartupBarrier(launcher.context(), launcher.data());
            assertEquals(java.util.List.of("FileInstall to apply " + later.toFile().toURI()), snapshot.pending());
            await("FileInstall to apply the late configuration", () -> snapshot.pending().isEmpty());
        }
    }

    @Test
    void everyCarriedBundleIsActiveAfterStart() throws Exception {
        try (Launcher launcher = Launcher.start(tmp.resolve("data"), new PrintStream(OutputStream.nullOutputStream()))) {
            Bundle[] bundles = launcher.context().getBundles();
            assertEquals(23, bundles.length, Arrays.toString(bundles));
            for (Bundle b : bundles) {
                assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName());
            }
            assertTrue(new StartupBarrier(launcher.context(), launcher.data()).pending().isEmpty());
        }
    }

    static String log(Path data) {
        try {
            return Files.readString(data.resolve("log").resolve("nvdimm.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static Path writeBundle(Path jar, String bsn) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.flush();
        }
        return jar;
    }

    static Optional<Bundle> find(BundleContext ctx, String bsn) {
        return Arrays.stream(ctx.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + PATIENCE + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
