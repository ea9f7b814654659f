package nvdimm.shell.internal.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for a long command ({@code dd}'s copy, a check), redrawn in place with a carriage
 * return on the interactive shell's terminal: nothing for the first second (a short run never shows one), then
 * at most ten redraws a second, and the line is wiped at the end so the command's output stands alone. Only used
 * when standard error is that terminal (never in one-shot runs, scripts, pipes or redirections).
 */
public final class ProgressBar {

    /** What follows the bar and its percentage, computed only when the bar is drawn. */
    @FunctionalInterface
    public interface Tail {
        /** For example {@code "115.2 MiB of 256.0 MiB  530 MB/s"}. */
        String text(long done, long total, long elapsedNs);
    }

    /** No bar: one-shot runs, scripts, pipes, redirected stderr. */
    public static final ProgressBar NONE = new ProgressBar(null, 0, System::nanoTime, (d, t, e) -> "");

    private static final long DELAY_NS = 1_000_000_000L;
    private static final long REDRAW_NS = 100_000_000L;

    private final PrintStream out;
    private final int width;
    private final LongSupplier clock;
    private final Tail tail;
    private final long start;
    private long lastDraw;
    private int drawnLength;

    /**
     * @param out the terminal (standard error)
     * @param width the terminal's columns
     * @param clock nanoseconds, {@link System#nanoTime} but in tests
     * @param tail the text after the percentage
     */
    public ProgressBar(PrintStream out, int width, LongSupplier clock, Tail tail) {
        this.out = out;
        this.width = Math.max(40, width);
        this.clock = clock;
        this.tail = tail;
        this.start = clock.getAsLong();
    }

    /** After each step: redraws when it is time to. */
    public void update(long done, long total) {
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - start < DELAY_NS || now - lastDraw < REDRAW_NS) {
            return;
        }
        lastDraw = now;
        String line = line(done, total, now - start);
        StringBuilder text = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < drawnLength; i++) {
            text.append(' ');
        }
        drawnLength = line.length();
        out.print(text);
        out.flush();
    }

    /** Wipes the bar, if one was drawn. */
    public void finish() {
        if (out == null || drawnLength == 0) {
            return;
        }
        out.print("\r" + " ".repeat(drawnLength) + "\r");
        out.flush();
        drawnLength = 0;
    }

    /** {@code [#####.....]  45%  TAIL}, fitted to the terminal's width. */
    public String line(long done, long total, long elapsedNs) {
        int percent = total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
        String text = String.format(java.util.Locale.ROOT, " %3d%%  %s", percent, tail.text(done, total, elapsedNs));
        int bar = Math.max(10, width - text.length() - 3);
        int filled = (int) ((long) bar * percent / 100);
        return "[" + "#".repeat(filled) + ".".repeat(bar - filled) + "]" + text;
    }
}
