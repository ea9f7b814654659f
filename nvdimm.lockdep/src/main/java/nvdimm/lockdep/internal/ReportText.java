package nvdimm.lockdep.internal;

import java.util.List;
import nvdimm.lockdep.Dependency;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.LockNode;
import nvdimm.lockdep.LockdepReport;

/** Renders a report for a terminal, in the spirit of lockdep's splats. */
public final class ReportText {
    private static final String RULE = "=".repeat(72);
    /** Frames shown per recorded stack: enough to recognise the path. */
    private static final int FRAMES = 8;

    private ReportText() {
    }

    public static String format(LockdepReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append(RULE).append('\n');
        sb.append("lockdep WARNING: ").append(r.kind().headline()).append('\n');
        sb.append("-".repeat(72)).append('\n');
        sb.append(r.summary()).append(".\n");
        if (!r.cycle().isEmpty()) {
            cycle(sb, r);
        }
        sb.append("\nlocks held by thread \"").append(r.thread()).append("\" (").append(r.held().size())
                .append("):\n");
        if (r.held().isEmpty()) {
            sb.append("  none\n");
        }
        for (int i = 0; i < r.held().size(); i++) {
            HeldLock h = r.held().get(i);
            sb.append("  #").append(i).append(' ').append(h.lock()).append(" (").append(h.mode()).append(')');
            if (!h.acquiredAt().isEmpty()) {
                sb.append(", taken at ").append(h.acquiredAt().get(0));
            }
            sb.append('\n');
        }
        sb.append("\nstack of thread \"").append(r.thread()).append("\":\n");
        frames(sb, r.stack(), 2 * FRAMES);
        sb.append(RULE).append('\n');
        return sb.toString();
    }

    private static void cycle(StringBuilder sb, LockdepReport r) {
        List<Dependency> cycle = r.cycle();
        sb.append("\nthe cycle:\n  ");
        for (LockNode n : r.locks()) {
            sb.append(n).append(" -> ");
        }
        sb.append(r.locks().get(0)).append('\n');
        sb.append("\neach dependency, where it was first seen (the first is the new one):\n");
        for (int i = 0; i < cycle.size(); i++) {
            Dependency d = cycle.get(i);
            sb.append("\n  #").append(i).append(' ').append(d.from()).append(' ').append(d.type().arrow())
                    .append(' ').append(d.to()).append("   [thread \"").append(d.thread()).append("\"]\n");
            frames(sb, d.firstSeen(), FRAMES);
        }
        sb.append("\npossible unsafe scenario:\n\n");
        if (cycle.size() == 2) {
            LockNode a = cycle.get(0).from();
            LockNode b = cycle.get(0).to();
            String left = "       thread A";
            sb.append(pad(left)).append("thread B\n");
            sb.append(pad("       --------")).append("--------\n");
            sb.append(pad("  take " + a)).append('\n');
            sb.append(pad("")).append("take ").append(b).append('\n');
            sb.append(pad("")).append("take ").append(a).append('\n');
            sb.append(pad("  take " + b)).append('\n');
        } else {
            sb.append("  ").append(cycle.size()).append(" threads, each holding one lock of the cycle and taking"
                    + " the next:\n");
            for (int i = 0; i < cycle.size(); i++) {
                Dependency d = cycle.get(i);
                sb.append("    thread ").append((char) ('A' + i % 26)).append(": holds ").append(d.from())
                        .append(", takes ").append(d.to()).append('\n');
            }
        }
        sb.append("\n *** DEADLOCK ***\n");
    }

    private static String pad(String s) {
        int width = 44;
        return s.length() >= width ? s + "  " : s + " ".repeat(width - s.length());
    }

    private static void frames(StringBuilder sb, List<StackTraceElement> frames, int max) {
        if (frames.isEmpty()) {
            sb.append("       (no stack recorded)\n");
        }
        for (int i = 0; i < frames.size() && i < max; i++) {
            sb.append("       at ").append(frames.get(i)).append('\n');
        }
        if (frames.size() > max) {
            sb.append("       ... ").append(frames.size() - max).append(" more\n");
        }
    }
}
