package nvdimm.shell.internal.check;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jline.builtins.Options;

import nvdimm.btt.check.BttChecker;
import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.emul.ImageAttacher;
import nvdimm.emul.LabelSize;
import nvdimm.emul.OpenedImage;
import nvdimm.shell.internal.cli.ProgressBar;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;

/**
 * {@code nvdimm:check-image}: ndctl's {@code check-namespace} on an image file that is not attached, with no
 * kernel: the file opened as {@code attach-image} lays it out (labels found the same way), every BTT in it
 * checked, and with {@code --repair} repaired; the file is released afterwards.
 */
final class CheckImageCommand implements Subcommand {
    private final Supplier<ImageAttacher> images;
    private final Supplier<BttChecker> checker;
    private final Supplier<Path> cwd;
    private final Function<ProgressBar.Tail, ProgressBar> progress;

    CheckImageCommand(Supplier<ImageAttacher> images, Supplier<BttChecker> checker, Supplier<Path> cwd,
            Function<ProgressBar.Tail, ProgressBar> progress) {
        this.images = images;
        this.checker = checker;
        this.cwd = cwd;
        this.progress = progress;
    }

    @Override
    public Usage usage() {
        return new Usage("check-image", "check (and repair) the BTTs of an image file that is not attached",
                "[<options>] FILE",
                "  -l --label-size=SIZE  label area at the file's end: auto (detect), 0 or a size such as 128K (default=auto)",
                "  -R --repair           perform metadata repairs (without it nothing is written)",
                "  -L --rewrite-log      regenerate the log in the current layout (needs --repair)",
                "  -j --json             print the findings as JSON",
                "  -v --verbose          also show notes (where this checker differs from ndctl)");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().size() != 1) {
            throw new UsageError(opt.args().isEmpty() ? "name the image FILE" : "give one FILE, not " + opt.args());
        }
        if (opt.isSet("rewrite-log") && !opt.isSet("repair")) {
            throw new UsageError("--rewrite-log needs --repair");
        }
        LabelSize labelSize = LabelSize.parse(opt.isSet("label-size") ? opt.get("label-size") : "auto");
        CheckOptions options = new CheckOptions(opt.isSet("repair"), opt.isSet("rewrite-log"));
        Path file = cwd.get().resolve(opt.args().get(0)).toAbsolutePath().normalize();
        List<CheckReport> reports;
        CheckProgress bar = new CheckProgress(progress);
        try (OpenedImage image = images.get().open(file, labelSize)) {
            reports = checker.get().checkImage(file.getFileName().toString(), image.pmem(), image.labelArea(),
                    options, bar);
        } finally {
            bar.finish();
        }
        return CheckOutcome.finish(reports, opt.isSet("json"), opt.isSet("verbose"), err);
    }
}
