package nvdimm.app.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged launcher on a pseudo-terminal, as a person at a terminal runs it: util-linux's
 * {@code script} (Debian's essential bsdutils) gives the JVM a pty, this class types into it and
 * reads the screen's bytes back.
 */
final class PseudoTerminal implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final StringBuilder screen = new StringBuilder();
    private final Thread pump;

    private PseudoTerminal(Process process) {
        this.process = process;
        this.pump = new Thread(this::pump, "pty reader");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code java -jar nvdimm.jar --data DATA} on a new pseudo-terminal. */
    static PseudoTerminal launch(Path data) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/script"))) {
            throw new IllegalStateException("/usr/bin/script (util-linux, Debian package bsdutils) is needed");
        }
        Path jar = Path.of(System.getProperty("nvdimm.jar", "target/nvdimm.jar"));
        String java = ProcessHandle.current().info().command().orElse("java");
        // script's pty has no size when its own input is a pipe; JLine draws nothing in 0 columns
        String command = "stty cols 120 rows 40; exec " + String.join(" ", List.of(quote(java), "--sun-misc-unsafe-memory-access=allow", "-jar",
                quote(jar.toAbsolutePath().toString()), "--data", quote(data.toString())));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null");
        pb.environment().put("TERM", "xterm");
        pb.redirectErrorStream(true);
        return new PseudoTerminal(pb.start());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void pump() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (screen) {
                    screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Types {@code keys} (use "\r" for Enter, "\u0003" for Ctrl-C). */
    void type(String keys) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(keys.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Everything shown so far, escape sequences and carriage returns removed. */
    String text() {
        synchronized (screen) {
            return plain(screen.toString());
        }
    }

    static String plain(String s) {
        return s.replaceAll("\u001b\\[[0-9;?]*[ -/]*[@-~]", "").replaceAll("\u001b[()][0-9A-B]", "")
                .replaceAll("\u001b[=>]", "").replace("\r", "");
    }

    /** Waits until the screen shows {@code text} at or after {@code from}; returns where it ends. */
    int await(String text, int from) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        synchronized (screen) {
            while (true) {
                String shown = plain(screen.toString());
                int at = shown.indexOf(text, Math.min(from, shown.length()));
                if (at >= 0) {
                    return at + text.length();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && at < 0 && pumpDone()) {
                    throw new AssertionError("the terminal never showed '" + text + "'; it shows:\n" + shown);
                }
                screen.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    private boolean pumpDone() {
        return !pump.isAlive();
    }

    /** Waits for the process to end; returns its exit code (script passes the launcher's on). */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the shell did not exit; the terminal shows:\n" + text());
        }
        pump.join(PATIENCE.toMillis());
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
