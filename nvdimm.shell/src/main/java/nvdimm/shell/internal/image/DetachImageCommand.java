package nvdimm.shell.internal.image;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

import nvdimm.emul.AttachedImage;
import nvdimm.emul.ImageAttacher;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/** {@code nvdimm:detach-image}: takes an attached image's bus down, syncs and unmaps the file. */
final class DetachImageCommand implements Subcommand {

    private final Supplier<ImageAttacher> attacher;
    private final Supplier<Path> cwd;

    DetachImageCommand(Supplier<ImageAttacher> attacher, Supplier<Path> cwd) {
        this.attacher = attacher;
        this.cwd = cwd;
    }

    @Override
    public Usage usage() {
        return new Usage("detach-image", "detach an attached image (by name or file): sync, unmap, remove its bus",
                "NAME|FILE");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().size() != 1) {
            throw new UsageError(opt.args().isEmpty() ? "name the image (its name or FILE)" : "give one image, not " + opt.args());
        }
        String what = opt.args().get(0);
        ImageAttacher images = attacher.get();
        boolean byName = images.attached().stream().anyMatch(i -> i.name().equals(what));
        AttachedImage image = images.detach(byName ? what : cwd.get().resolve(what).toAbsolutePath().normalize().toString());
        err.println("detached " + image.name() + " (" + image.file() + ")");
        return null;
    }
}
