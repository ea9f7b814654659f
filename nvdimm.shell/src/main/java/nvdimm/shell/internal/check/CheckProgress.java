package nvdimm.shell.internal.check;

import nvdimm.btt.check.Progress;
import nvdimm.shell.internal.cli.ProgressBar;

/** A check's progress on the shell's progress bar: {@code [####......]  40%  arena 0 map}. */
public final class CheckProgress implements Progress {
    private final ProgressBar bar;
    private volatile String phase = "";

    public CheckProgress(java.util.function.Function<ProgressBar.Tail, ProgressBar> bars) {
        this.bar = bars.apply((done, total, elapsed) -> phase);
    }

    @Override
    public void update(String phase, long done, long total) {
        this.phase = phase;
        bar.update(done, total);
    }

    /** Wipes the bar before the report is printed. */
    public void finish() {
        bar.finish();
    }
}
