package nvdimm.shell.internal.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.emul.AttachedImage;
import nvdimm.shell.internal.cli.Json;

/** An attached image as JSON, in ndctl's snake_case style. */
final class ImageJson {

    private ImageJson() {
    }

    static String print(AttachedImage image) {
        ObjectNode o = Json.object();
        o.put("provider", image.provider());
        o.put("name", image.name());
        o.put("file", image.file().toString());
        o.put("file_size", image.fileSize());
        o.put("size", image.pmemSize());
        o.put("label_size", image.labelSize());
        o.put("label_size_detected", image.labelSizeDetected());
        o.put("slot", image.slot());
        return Json.print(o);
    }
}
