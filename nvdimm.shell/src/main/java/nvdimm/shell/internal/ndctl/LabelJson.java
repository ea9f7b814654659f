package nvdimm.shell.internal.ndctl;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.UuidBytes;
import nvdimm.namespace.label.IndexBlock;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelVersion;
import nvdimm.namespace.label.NamespaceLabel;
import nvdimm.shell.internal.cli.Json;

/**
 * {@code ndctl read-labels -j}: {@code {"dev", "index":[{signature, major, minor, labelsize, seq, nslot}],
 * "label":[{uuid, name, slot, position, nlabel, flags, isetcookie, lbasize, dpa, rawsize, type_guid,
 * abstraction_guid}]}}, dumped from the raw bytes as ndctl dumps them: both index headers whatever their
 * validity, and every slot whose label names its own slot, in use or not. The GUIDs print as ndctl prints
 * them, their stored bytes in text order. Where the area has a valid index its geometry places the labels;
 * else ndctl's guess (labels after two 256-byte blocks, 256 bytes when both headers say v1.2).
 */
final class LabelJson {

    private LabelJson() {
    }

    static ObjectNode of(String dev, byte[] area, boolean human) {
        ObjectNode o = Json.object();
        o.put("dev", dev);
        int indexSize = IndexBlock.ALIGN;
        LabelVersion version = guess(area);
        int base = 2 * IndexBlock.ALIGN;
        var parsed = LabelArea.tryParse(area);
        if (parsed.isPresent()) {
            indexSize = parsed.get().geometry().indexSize();
            version = parsed.get().version();
            base = (int) parsed.get().geometry().labelBase();
        }
        ArrayNode index = o.putArray("index");
        for (int i = 0; i < 2 && (i + 1) * indexSize <= area.length && i * indexSize + IndexBlock.HEADER <= area.length; i++) {
            IndexBlock b = IndexBlock.decode(area, i * indexSize, indexSize);
            ObjectNode x = index.addObject();
            x.put("signature", b.signature());
            x.put("major", b.major());
            x.put("minor", b.minor());
            x.put("labelsize", 1L << Math.min(7 + b.labelSizeCode(), 62));
            x.put("seq", b.seq());
            x.put("nslot", b.nslot());
        }
        ArrayNode labels = o.putArray("label");
        int size = version.labelSize();
        for (int slot = 0; base + (long) (slot + 1) * size <= area.length; slot++) {
            int at = base + slot * size;
            NamespaceLabel l = NamespaceLabel.decode(area, at, version);
            if (l.slot() != slot) {
                continue;
            }
            ObjectNode x = labels.addObject();
            x.put("uuid", l.uuid().toString());
            x.put("name", l.name());
            x.put("slot", l.slot());
            x.put("position", l.position());
            x.put("nlabel", l.nlabel());
            Human.putHex(x, "flags", Integer.toUnsignedLong(l.flags()), human);
            Human.putHex(x, "isetcookie", l.isetCookie(), human);
            x.put("lbasize", l.lbaSize());
            Human.putHex(x, "dpa", l.dpa(), human);
            Human.putSize(x, "rawsize", l.rawSize(), human);
            if (version == LabelVersion.V1_2) {
                x.put("type_guid", UuidBytes.uuid(area, at + 128).toString());
                x.put("abstraction_guid", UuidBytes.uuid(area, at + 144).toString());
            }
        }
        return o;
    }

    /** ndctl's {@code sizeof_namespace_label} guess: 256 when more headers say v1.2 than v1.1. */
    private static LabelVersion guess(byte[] area) {
        int v1 = 0;
        int v2 = 0;
        for (int at = 0; at + IndexBlock.HEADER <= area.length && at < 2 * IndexBlock.ALIGN; at += IndexBlock.ALIGN) {
            IndexBlock b = IndexBlock.decode(area, at, IndexBlock.ALIGN);
            if (b.major() == 1 && b.minor() == 1) {
                v1++;
            } else if (b.major() == 1 && b.minor() == 2) {
                v2++;
            }
        }
        return v2 > v1 ? LabelVersion.V1_2 : LabelVersion.V1_1;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
