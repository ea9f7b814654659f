package nvdimm.shell.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The progress bar (with dd's tail): silent for a short copy, redrawn in place, wiped at the end; never timed. */
class ProgressTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final ProgressBar bar = new ProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8), 80,
            now::get, nvdimm.shell.internal.blockdev.DdProgress::tail);

    private String drawn() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nothingInTheFirstSecondThenAtMostTenRedrawsASecond() {
        bar.update(1 << 20, 100 << 20);
        now.addAndGet(999_000_000);
        bar.update(2 << 20, 100 << 20);
        assertEquals("", drawn(), "a short copy never shows a bar");
        now.addAndGet(1_000_000);
        bar.update(50 << 20, 100 << 20);
        String first = drawn();
        assertTrue(first.startsWith("\r[") && first.contains("  50%  50.0 MiB of 100.0 MiB  52 MB/s"), first);
        assertTrue(first.length() - 1 <= 79, "fits the terminal: " + first.length());
        now.addAndGet(50_000_000);
        bar.update(60 << 20, 100 << 20);
        assertEquals(first, drawn(), "no redraw within 100 ms");
        now.addAndGet(50_000_000);
        bar.update(100 << 20, 100 << 20);
        assertTrue(drawn().substring(first.length()).contains(" 100%"), drawn());
        bar.finish();
        String all = drawn();
        assertTrue(all.endsWith("\r" + " ".repeat(first.length() - 1) + "\r"), "wiped: " + all);
    }

    @Test
    void noneDrawsNothing() {
        ProgressBar.NONE.update(1, 10);
        ProgressBar.NONE.finish();
        String line = new ProgressBar(null, 40, now::get, (d, t, e) -> "half").line(5, 10, 1_000_000_000);
        assertTrue(line.startsWith("[") && line.contains("50%"), line);
    }
}
