package nvdimm.lockdep.internal;

import java.util.ArrayList;
import java.util.List;

import nvdimm.lockdep.Dependency;
import nvdimm.lockdep.DependencyType;
import nvdimm.lockdep.HeldLock;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockNode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.LockdepReport.Kind;

/**
 * The validator's findings: each report it can raise, built from the held stack and the graph, with
 * the key that de-duplicates it. Built under the graph lock where the graph is read, delivered by
 * {@link ReportBook} after it is released.
 */
final class Findings {

    /** A report and the key that identifies it for de-duplication. */
    record Finding(String key, LockdepReport report) {
    }

    private Findings() {
    }

    static Finding circular(ClassRegistry classes, HeldStack hs, Tracked lock, int kind, List<DependencyGraph.Hop> hops) {
        List<Dependency> cycle = new ArrayList<>();
        List<LockNode> locks = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (DependencyGraph.Hop hop : hops) {
            Dependency d = new Dependency(graphNode(classes, hop.from()), graphNode(classes, hop.to()),
                    DependencyType.values()[hop.type()], hop.site().thread(), hop.site().frames());
            cycle.add(d);
            locks.add(d.to());
            keys.add(d.from() + ">" + d.to() + ":" + d.type());
        }
        Dependency closing = cycle.get(0);
        String summary = "thread \"" + Thread.currentThread().getName() + "\" is trying to "
                + describe(lock, kind) + " " + closing.to() + " while holding " + closing.from()
                + "; this closes a cycle of " + cycle.size() + " dependencies";
        LockdepReport report = new LockdepReport(Kind.CIRCULAR_DEPENDENCY, Thread.currentThread().getName(),
                summary, locks, cycle, heldLocks(hs), hops.get(0).site().frames());
        return new Finding(Kind.CIRCULAR_DEPENDENCY + "|" + canonical(keys), report);
    }

    /** The cycle's dependencies rotated to start at the least one: the same cycle found anew gives the same key. */
    private static String canonical(List<String> keys) {
        int start = 0;
        for (int i = 1; i < keys.size(); i++) {
            if (keys.get(i).compareTo(keys.get(start)) < 0) {
                start = i;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            sb.append(keys.get((start + i) % keys.size())).append(' ');
        }
        return sb.toString();
    }

    static Finding recursion(HeldStack hs, Tracked lock, int subclass, int kind, int heldIndex, boolean same,
            boolean upgrade) {
        LockNode node = new LockNode(lock.lockClass().name(), subclass);
        String summary = "thread \"" + Thread.currentThread().getName() + "\" is trying to " + describe(lock, kind)
                + " " + node + " (" + Acquire.describe(kind) + ") but already holds "
                + (same ? "the same lock" : "another lock of that class") + " ("
                + Acquire.describe(hs.chains[heldIndex].kind) + ")"
                + (upgrade ? "; a read lock cannot be upgraded to a write lock: this waits for itself"
                        : (kind & Acquire.WAIT) != 0 ? "; a wait inside the work it waits for waits for itself"
                        : "; if the nesting is intended, give the inner lock a higher subclass, or mark the"
                                + " class RECURSIVE");
        return simple(Kind.RECURSIVE_LOCKING, summary, List.of(node), hs);
    }

    static Finding sleepInAtomic(HeldStack hs, String what) {
        List<LockNode> atomic = new ArrayList<>();
        for (int i = 0; i < hs.depth; i++) {
            if (hs.chains[i].atomic) {
                atomic.add(new LockNode(((Tracked) hs.locks[i]).lockClass().name(), hs.chains[i].subclass));
            }
        }
        String summary = "thread \"" + Thread.currentThread().getName() + "\" may sleep (" + what
                + ") while holding atomic " + atomic;
        return simple(Kind.SLEEP_IN_ATOMIC, summary, atomic, hs);
    }

    static Finding unregistered(HeldStack hs, Tracked lock, int kind) {
        String summary = "thread \"" + Thread.currentThread().getName() + "\" is trying to " + describe(lock, kind)
                + " " + nodeName(lock) + ", whose class is not registered with this validator (register it"
                + " before use; after its owner is released, its locks must not be used)";
        return simple(Kind.UNREGISTERED_CLASS, summary, List.of(node(lock)), hs);
    }

    /**
     * A report about the current thread; it is the same report again if kind, locks and the whole calling
     * stack outside the validator match. The innermost frame alone would not do: a helper that several
     * callers share (a {@code withLock} wrapper, a device-lock wrapper) would merge their bugs into one.
     */
    static Finding simple(Kind kind, String summary, List<LockNode> locks, HeldStack hs) {
        List<StackTraceElement> stack = Sites.capture();
        LockdepReport report = new LockdepReport(kind, Thread.currentThread().getName(), summary, locks, List.of(),
                hs == null ? List.of() : heldLocks(hs), stack);
        return new Finding(kind + "|" + locks + "|" + stack, report);
    }

    static List<HeldLock> heldLocks(HeldStack hs) {
        List<HeldLock> list = new ArrayList<>(hs.depth);
        for (int i = 0; i < hs.depth; i++) {
            ChainRecord c = hs.chains[i];
            Tracked t = (Tracked) hs.locks[i];
            list.add(new HeldLock(new LockNode(t.lockClass().name(), c.subclass), Acquire.describe(c.kind),
                    c.site == null ? List.of() : c.site.frames()));
        }
        return list;
    }

    static String describe(Tracked lock, int kind) {
        if ((kind & Acquire.WAIT) != 0) {
            return "wait for";
        }
        if ((kind & Acquire.WORK) != 0) {
            return "begin work of";
        }
        return (kind & Acquire.SHADOW) != 0 ? "take (shadow)" : "acquire";
    }

    static LockNode node(Tracked lock) {
        return new LockNode(lock.lockClass().name(), lock.subclass());
    }

    static String nodeName(Tracked lock) {
        return node(lock).toString();
    }

    /** The name of a graph node; its class is registered while the caller holds the graph lock. */
    static LockNode graphNode(ClassRegistry classes, int node) {
        ClassRecord r = classes.atSlot(node / LockClass.MAX_SUBCLASSES);
        return new LockNode(r == null ? "?" : r.lockClass.name(), node % LockClass.MAX_SUBCLASSES);
    }
}
