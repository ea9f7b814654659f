package nvdimm.shell.internal.blockdev;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for a long copy, redrawn in place with a carriage return on the interactive
 * shell's terminal: nothing for the first second (a short copy never shows one), then at most ten
 * redraws a second, and the line is wiped when the copy ends so the summary stands alone. Only used
 * when standard error is that terminal (never in one-shot runs, scripts, pipes or redirections).
 */
final class Progress {

    /** No bar: one-shot runs, scripts, pipes, redirected stderr. */
    static final Progress NONE = new Progress(null, 0, 0, System::nanoTime);

    private static final long DELAY_NS = 1_000_000_000L;
    private static final long REDRAW_NS = 100_000_000L;

    private final PrintStream out;
    private final long total;
    private final int width;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw;
    private int drawnLength;

    /**
     * @param out the terminal (standard error)
     * @param total the bytes the copy will move
     * @param width the terminal's columns
     * @param clock nanoseconds, {@link System#nanoTime} but in tests
     */
    Progress(PrintStream out, long total, int width, LongSupplier clock) {
        this.out = out;
        this.total = total;
        this.width = Math.max(40, width);
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** After each block: redraws when it is time to. */
    void update(long done) {
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - start < DELAY_NS || now - lastDraw < REDRAW_NS) {
            return;
        }
        lastDraw = now;
        String line = line(done, now - start);
        StringBuilder text = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < drawnLength; i++) {
            text.append(' ');
        }
        drawnLength = line.length();
        out.print(text);
        out.flush();
    }

    /** Wipes the bar, if one was drawn. */
    void finish() {
        if (out == null || drawnLength == 0) {
            return;
        }
        out.print("\r" + " ".repeat(drawnLength) + "\r");
        out.flush();
        drawnLength = 0;
    }

    /** {@code [#####.....]  45%  115.2 MiB of 256.0 MiB  530 MB/s}, fitted to the terminal's width. */
    String line(long done, long elapsedNs) {
        int percent = total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
        double mbs = elapsedNs <= 0 ? 0 : done / 1e6 / (elapsedNs / 1e9);
        String tail = String.format(Locale.ROOT, " %3d%%  %s of %s  %.0f MB/s", percent, mib(done), mib(total), mbs);
        int bar = Math.max(10, width - tail.length() - 3);
        int filled = (int) ((long) bar * percent / 100);
        return "[" + "#".repeat(filled) + ".".repeat(bar - filled) + "]" + tail;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
