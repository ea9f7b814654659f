package nvdimm.shell.internal.check;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Finding;

/**
 * Check reports as JSON ({@code -j}) and as text. JSON: one object per namespace checked, with {@code namespace},
 * {@code version}, {@code arenas}, {@code verdict} and {@code findings} (each with {@code check}, {@code status},
 * {@code message} and where it was: {@code arena}, {@code lba}, {@code lane}, {@code offset} when known).
 */
final class CheckJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CheckJson() {
    }

    static ArrayNode json(List<CheckReport> reports) {
        ArrayNode out = F.arrayNode();
        for (CheckReport r : reports) {
            ObjectNode o = out.addObject();
            o.put("namespace", r.target());
            r.version().ifPresent(v -> o.put("version", v));
            o.put("arenas", r.arenas());
            o.put("verdict", r.verdict().label());
            ArrayNode findings = o.putArray("findings");
            for (Finding f : r.findings()) {
                ObjectNode x = findings.addObject();
                x.put("check", f.check().label());
                x.put("status", f.status().label());
                if (f.arena() >= 0) {
                    x.put("arena", f.arena());
                }
                if (f.lba() >= 0) {
                    x.put("lba", f.lba());
                }
                if (f.lane() >= 0) {
                    x.put("lane", f.lane());
                }
                if (f.offset() >= 0) {
                    x.put("offset", f.offset());
                }
                x.put("message", f.message());
            }
        }
        return out;
    }

    /** The human report: a line per finding ({@code --verbose} adds the notes), then each namespace's verdict. */
    static String text(List<CheckReport> reports, boolean verbose) {
        StringBuilder b = new StringBuilder();
        for (CheckReport r : reports) {
            for (Finding f : r.findings()) {
                if (f.status() == Finding.Status.NOTE && !verbose) {
                    continue;
                }
                b.append(r.target()).append(": ");
                String where = f.where();
                if (!where.isEmpty()) {
                    b.append(where).append(": ");
                }
                b.append(f.check().label()).append(": ").append(f.message()).append(" [").append(f.status().label())
                        .append("]\n");
            }
            b.append(r.target()).append(": ").append(r.version().map(v -> "BTT " + v
                    + ", " + r.arenas() + " arena" + (r.arenas() == 1 ? "" : "s") + ": ").orElse(""))
                    .append(r.verdict().label()).append('\n');
        }
        return b.toString();
    }
}
