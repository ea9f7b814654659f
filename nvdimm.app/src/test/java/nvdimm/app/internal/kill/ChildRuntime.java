package nvdimm.app.internal.kill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM running the packaged launcher ({@code java -jar nvdimm.jar --data DIR -c SCRIPT}) in
 * one-shot mode, its stdout and stderr in files; killed with SIGKILL, descendants first.
 */
final class ChildRuntime {

    /** What a JVM killed by SIGKILL exits with, as {@link Process#exitValue()} reports it. */
    static final int SIGKILLED = 128 + 9;

    private final Process process;
    private final Path out;
    private final Path err;
    private final long startedNanos = System.nanoTime();

    private ChildRuntime(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static ChildRuntime start(Path data, String script, Path logs, String tag) throws IOException {
        Path jar = Path.of(System.getProperty("nvdimm.jar", "target/nvdimm.jar")).toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toString(), "--data", data.toString(), "-c", script));
        Files.createDirectories(logs);
        Path out = logs.resolve(tag + ".out");
        Path err = logs.resolve(tag + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        return new ChildRuntime(p, out, err);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** SIGKILLs the child (and anything it started) and waits for it; fails if it had exited by itself. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor();
        if (process.exitValue() != SIGKILLED) {
            throw new AssertionError("child " + process.pid() + " had exited by itself with " + process.exitValue()
                    + " before the kill:\n" + output());
        }
    }

    /** Waits for a child expected to exit by itself; returns its exit code. */
    int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("child did not exit within " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    String output() {
        return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
