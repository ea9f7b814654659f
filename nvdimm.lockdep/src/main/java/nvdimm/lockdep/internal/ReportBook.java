package nvdimm.lockdep.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import nvdimm.lockdep.LockdepReport;

/**
 * The validator's reports: each is kept once under its de-duplication key and delivered once, to the
 * sink and then to every listener, outside the validator's graph lock (listeners may log, post events
 * or take validated locks). The map's own monitor guards it: the validator never validates itself.
 */
final class ReportBook {
    private static final Logger LOG = Logger.getLogger("nvdimm.lockdep");

    private final Map<String, LockdepReport> reports = new LinkedHashMap<>();
    private final List<Consumer<? super LockdepReport>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<? super LockdepReport> sink;

    /** @param sink receives each new report; {@code null} logs it as a warning to {@code nvdimm.lockdep} */
    ReportBook(Consumer<? super LockdepReport> sink) {
        this.sink = sink != null ? sink : r -> LOG.warning(r.toString());
    }

    /** Records a new report and tells the sink and listeners; a report seen before is returned, not repeated. */
    LockdepReport publish(String key, LockdepReport report) {
        synchronized (reports) {
            LockdepReport known = reports.putIfAbsent(key, report);
            if (known != null) {
                return known;
            }
        }
        deliver(sink, report);
        for (Consumer<? super LockdepReport> listener : listeners) {
            deliver(listener, report);
        }
        return report;
    }

    private static void deliver(Consumer<? super LockdepReport> to, LockdepReport report) {
        try {
            to.accept(report);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a lockdep report listener failed", e);
        }
    }

    List<LockdepReport> all() {
        synchronized (reports) {
            return List.copyOf(reports.values());
        }
    }

    int size() {
        synchronized (reports) {
            return reports.size();
        }
    }

    void clear() {
        synchronized (reports) {
            reports.clear();
        }
    }

    void addListener(Consumer<? super LockdepReport> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<? super LockdepReport> listener) {
        listeners.remove(listener);
    }
}
