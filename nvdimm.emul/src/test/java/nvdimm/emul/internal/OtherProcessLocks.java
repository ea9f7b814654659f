package nvdimm.emul.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding or probing QEMU-style OFD locks (a python3 script using fcntl), so the
 * tests check the locks as another program sees them, without QEMU.
 */
final class OtherProcessLocks {

    private OtherProcessLocks() {
    }

    private static Path script(Path dir) throws IOException {
        Path script = dir.resolve("ofd_lock.py");
        try (InputStream in = OtherProcessLocks.class.getResourceAsStream("ofd_lock.py")) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    private static void assumePython() {
        boolean found = false;
        try {
            found = new ProcessBuilder("python3", "-c", "import fcntl").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        assumeTrue(found, "python3 with fcntl is needed to play the other process");
    }

    /** A process holding read locks on {@code bytes} of {@code file} until closed. */
    static final class Holder implements AutoCloseable {
        private final Process process;

        Holder(Path dir, Path file, int... bytes) throws IOException {
            assumePython();
            List<String> cmd = new ArrayList<>(List.of("python3", script(dir).toString(), "hold", file.toString()));
            for (int b : bytes) {
                cmd.add(String.valueOf(b));
            }
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertEquals("locked", line, "the other process took its locks");
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    /** For each byte, whether another process would find it locked: "100 locked", "202 free". */
    static List<String> probe(Path dir, Path file, int... bytes) throws Exception {
        assumePython();
        List<String> cmd = new ArrayList<>(List.of("python3", script(dir).toString(), "test", file.toString()));
        for (int b : bytes) {
            cmd.add(String.valueOf(b));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }
}
