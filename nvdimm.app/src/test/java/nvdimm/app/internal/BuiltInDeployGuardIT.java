package nvdimm.app.internal;

import static nvdimm.app.internal.HotDeployIT.await;
import static nvdimm.app.internal.HotDeployIT.find;
import static nvdimm.app.internal.HotDeployIT.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** deploy/ cannot replace or remove the bundles the launcher carries, and says so in the log. */
class BuiltInDeployGuardIT {

    @TempDir
    Path tmp;

    /** A copy of the carried nvdimm.emul bundle, staged outside deploy/. */
    private Path stagedEmulCopy() throws Exception {
        EmbeddedBundles bundles = EmbeddedBundles.locate();
        try {
            EmbeddedBundles.Entry emul = bundles.entries().stream()
                    .filter(e -> e.fileName().equals("nvdimm.emul.jar")).findFirst().orElseThrow();
            Path staged = tmp.resolve("nvdimm.emul.jar");
            try (InputStream in = emul.open()) {
                Files.copy(in, staged);
            }
            return staged;
        } finally {
            bundles.close();
        }
    }

    private static boolean busRegistered(BundleContext ctx) throws Exception {
        return ctx.getAllServiceReferences("nvdimm.bus.spi.BusProvider", "(nvdimm.provider=emul.default)") != null;
    }

    @Test
    void aCopyOfABuiltInBundleNeitherReplacesNorRemovesIt() throws Exception {
        Path data = tmp.resolve("data");
        Path staged = stagedEmulCopy();
        try (Launcher launcher = Launcher.start(data, new PrintStream(OutputStream.nullOutputStream()))) {
            BundleContext ctx = launcher.context();
            Bundle emul = find(ctx, "nvdimm.emul").orElseThrow();
            long modified = emul.getLastModified();
            Path copy = data.resolve("deploy/nvdimm.emul.jar");
            Files.move(staged, copy, StandardCopyOption.ATOMIC_MOVE);
            await("the log to refuse the copy", () -> log(data).contains("deploy/nvdimm.emul.jar names the built-in"
                    + " bundle nvdimm.emul, which deploy/ can neither replace nor remove; the built-in one stays"));
            assertEquals(modified, emul.getLastModified(), "the built-in bundle was not updated from the copy");
            assertEquals(EmbeddedBundles.LOCATION_PREFIX + "nvdimm.emul.jar", emul.getLocation());

            Files.delete(copy);
            await("the log to note the copy is gone", () -> log(data).contains("deploy/nvdimm.emul.jar was deleted or changed; it had installed nothing"));
            assertEquals(Bundle.ACTIVE, emul.getState(), "deleting the copy left the built-in bundle");
            assertEquals(1, java.util.Arrays.stream(ctx.getBundles())
                    .filter(b -> "nvdimm.emul".equals(b.getSymbolicName())).count());
            assertTrue(busRegistered(ctx), "the default bus is still there");
        }
    }

    @Test
    void aCopyAlreadyInDeployAtLaunchIsRefusedWithoutHoldingUpTheStart() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("deploy"));
        Files.move(stagedEmulCopy(), data.resolve("deploy/emul-copy.jar"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Launcher launcher = Launcher.start(data, new PrintStream(err, true))) {
            assertEquals("", err.toString(), "the barrier does not wait for a jar the guard refuses");
            assertTrue(log(data).contains("deploy/emul-copy.jar names the built-in bundle nvdimm.emul"), log(data));
            Bundle emul = find(launcher.context(), "nvdimm.emul").orElseThrow();
            assertEquals(EmbeddedBundles.LOCATION_PREFIX + "nvdimm.emul.jar", emul.getLocation());
            assertTrue(busRegistered(launcher.context()));
        }
    }

    @Test
    void aCorruptJarInDeployGetsALogLine() throws Exception {
        Path data = tmp.resolve("data");
        try (Launcher launcher = Launcher.start(data, new PrintStream(OutputStream.nullOutputStream()))) {
            Path staged = Files.writeString(tmp.resolve("broken.jar"), "not a zip file");
            Files.move(staged, data.resolve("deploy/broken.jar"), StandardCopyOption.ATOMIC_MOVE);
            await("the log to name the corrupt jar",
                    () -> log(data).contains("deploy/broken.jar is not a readable jar ("));
            Path plain = HotDeployIT.writeBundle(tmp.resolve("plain.jar"), "x");
            // a jar without Bundle-SymbolicName: rewrite the manifest by hand
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(plain), new java.util.jar.Manifest())) {
                out.flush();
            }
            Files.move(plain, data.resolve("deploy/plain.jar"), StandardCopyOption.ATOMIC_MOVE);
            await("the log to name the jar that is no bundle",
                    () -> log(data).contains("deploy/plain.jar is not a bundle (no Bundle-SymbolicName)"));
            assertNotNull(find(launcher.context(), "nvdimm.emul").orElse(null));
        }
    }
}
