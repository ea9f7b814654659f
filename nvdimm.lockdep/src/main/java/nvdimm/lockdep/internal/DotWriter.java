package nvdimm.lockdep.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import nvdimm.lockdep.Dependency;
import nvdimm.lockdep.LockNode;

/** Renders dependencies as a Graphviz digraph: one arrow per pair of locks, labelled with its types. */
final class DotWriter {
    private DotWriter() {
    }

    static String write(List<Dependency> dependencies, String focusClass) {
        Map<String, StringJoiner> arrows = new LinkedHashMap<>();
        for (Dependency d : dependencies) {
            String arrow = quote(d.from()) + " -> " + quote(d.to());
            arrows.computeIfAbsent(arrow, a -> new StringJoiner(",")).add(d.type().name());
        }
        StringBuilder sb = new StringBuilder("digraph lockdep {\n  rankdir=LR;\n  node [shape=box];\n");
        if (focusClass != null) {
            sb.append("  // dependencies from or to ").append(focusClass).append('\n');
            for (Dependency d : dependencies) {
                for (LockNode n : List.of(d.from(), d.to())) {
                    String line = "  " + quote(n) + " [style=bold];\n";
                    if (n.className().equals(focusClass) && sb.indexOf(line) < 0) {
                        sb.append(line);
                    }
                }
            }
        }
        arrows.forEach((arrow, types) -> sb.append("  ").append(arrow).append(" [label=\"").append(types)
                .append("\"];\n"));
        return sb.append("}\n").toString();
    }

    private static String quote(LockNode node) {
        return '"' + node.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
