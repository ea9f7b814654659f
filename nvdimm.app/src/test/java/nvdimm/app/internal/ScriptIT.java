package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./nvdimm} script itself, on a copy of the project whose launcher jar is stale. */
class ScriptIT {

    @TempDir
    Path tmp;

    @Test
    void aBuildShowsOneLinePerModuleAsMavenReachesIt() throws Exception {
        Path root = tmp.resolve("project");
        Files.createDirectories(root.resolve("cnf/scripts"));
        Files.copy(Path.of("..", "nvdimm"), root.resolve("nvdimm"));
        Files.copy(Path.of("..", "cnf/scripts/jdk.sh"), root.resolve("cnf/scripts/jdk.sh"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n"); // no jar yet: stale
        // Maven stand-in: its console lines (colour codes included), then the jar the build makes
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path jar = Path.of(System.getProperty("nvdimm.jar", "target/nvdimm.jar")).toAbsolutePath();
        Path mvn = Files.writeString(bin.resolve("mvn"), """
                #!/bin/sh
                echo '[INFO] Scanning for projects...'
                echo '[INFO] ------------------------< nvdimm:nvdimm.lockdep >------------------------'
                printf '\\033[1m[INFO] Building nvdimm.lockdep 0.1.0-SNAPSHOT                            [1/2]\\033[m\\n'
                echo '[INFO] --- compiler:3.13.0:compile (default-compile) @ nvdimm.lockdep ---'
                echo '[INFO] Building nvdimm.app 0.1.0-SNAPSHOT                                [2/2]'
                mkdir -p nvdimm.app/target && cp '%s' nvdimm.app/target/nvdimm.jar
                """.formatted(jar));
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

        String err = run(root, bin);
        assertEquals("""
                nvdimm: building the runtime (mvn package, tests skipped) ...
                nvdimm: building nvdimm.lockdep (1 of 2)
                nvdimm: building nvdimm.app (2 of 2)
                nvdimm: built
                nvdimm: preparing the start-up cache (once per build) ...
                """, err);
        assertTrue(Files.readString(tmp.resolve("out.txt")).startsWith("usage: nvdimm"));
        assertTrue(Files.size(root.resolve("nvdimm.app/target/nvdimm.aot")) > 0, "JDK 25's AOT cache is made");

        assertEquals("", run(root, bin), "the next start neither builds nor remakes the cache, and the JVM takes it");
    }

    /** Runs {@code ./nvdimm --help} in the copy; returns its stderr. */
    private String run(Path root, Path bin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("nvdimm").toString(), "--help");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.redirectError(tmp.resolve("err.txt").toFile()).redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script ended");
        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        return err;
    }
}
