package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInDeployGuardTest {

    private static final Set<String> BUILT_IN = Set.of("nvdimm.emul", "org.apache.felix.scr");

    @TempDir
    Path dir;

    @Test
    void claimsCopiesOfBuiltInBundlesAndJarsThatAreNoBundles() throws IOException {
        assertTrue(BuiltInDeployGuard.claims(HotDeployIT.writeBundle(dir.resolve("a.jar"), "nvdimm.emul"), BUILT_IN));
        assertTrue(BuiltInDeployGuard.claims(HotDeployIT.writeBundle(dir.resolve("b.jar"),
                "org.apache.felix.scr;singleton:=true"), BUILT_IN), "directives after the name do not hide it");
        assertTrue(BuiltInDeployGuard.claims(Files.writeString(dir.resolve("c.jar"), "not a zip"), BUILT_IN));
        Path plain = dir.resolve("d.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(plain), new Manifest())) {
            out.flush();
        }
        assertTrue(BuiltInDeployGuard.claims(plain, BUILT_IN), "a jar without Bundle-SymbolicName");
    }

    @Test
    void leavesOtherBundlesAndFilesToFileInstall() throws IOException {
        assertFalse(BuiltInDeployGuard.claims(HotDeployIT.writeBundle(dir.resolve("p.jar"), "my.provider"), BUILT_IN));
        assertFalse(BuiltInDeployGuard.claims(Files.writeString(dir.resolve("x.cfg"), "a = 1"), BUILT_IN));
        assertFalse(BuiltInDeployGuard.claims(dir.resolve("missing.jar"), BUILT_IN));
    }
}
