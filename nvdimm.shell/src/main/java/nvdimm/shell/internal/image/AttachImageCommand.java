package nvdimm.shell.internal.image;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

import nvdimm.emul.AttachedImage;
import nvdimm.emul.ImageAttacher;
import nvdimm.emul.LabelSize;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code nvdimm:attach-image}: a bus with one DIMM laid over an image file exactly as QEMU's
 * {@code -device nvdimm} lays its memory-backend file. Prints the attached image as JSON.
 */
final class AttachImageCommand implements Subcommand {

    private final Supplier<ImageAttacher> attacher;
    private final Supplier<Path> cwd;

    AttachImageCommand(Supplier<ImageAttacher> attacher, Supplier<Path> cwd) {
        this.attacher = attacher;
        this.cwd = cwd;
    }

    @Override
    public Usage usage() {
        return new Usage("attach-image", "attach an image file as a bus with one QEMU-layout DIMM", "[<options>] FILE",
                "  -l --label-size=SIZE  label area at the file's end: auto (detect), 0 or a size such as 128K (default=auto)",
                "  -n --name=NAME        the image's name (default: from the file name)",
                "  -s --slot=SLOT        the QEMU nvdimm slot whose identity the DIMM presents (default=0)");
    }

    @Override
    public Object run(Options opt, PrintStream err) {
        if (opt.args().size() != 1) {
            throw new UsageError(opt.args().isEmpty() ? "name the image FILE" : "give one FILE, not " + opt.args());
        }
        LabelSize labelSize = LabelSize.parse(opt.isSet("label-size") ? opt.get("label-size") : "auto");
        int slot = 0;
        if (opt.isSet("slot")) {
            String text = opt.get("slot");
            if (!text.matches("-?[0-9]+")) { // ASCII: Integer.parseInt takes other scripts' digits too
                throw new UsageError("slot '" + text + "' is not a number");
            }
            try {
                slot = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new UsageError("slot " + text + " is outside 0..255");
            }
        }
        String name = opt.isSet("name") ? opt.get("name") : null;
        Path file = cwd.get().resolve(opt.args().get(0)).toAbsolutePath().normalize();
        AttachedImage image = attacher.get().attach(file, labelSize, name, slot);
        return ImageJson.print(image);
    }
}
