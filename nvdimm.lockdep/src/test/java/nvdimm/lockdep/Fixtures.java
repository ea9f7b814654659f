package nvdimm.lockdep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Helpers shared by the tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A quiet validator: reports are kept in {@link Lockdep#reports()} but not logged. */
    static Lockdep quiet(LockdepMode mode) {
        return new Lockdep(mode, r -> { });
    }

    static List<LockdepReport.Kind> kinds(Lockdep lockdep) {
        return lockdep.reports().stream().map(LockdepReport::kind).toList();
    }

    static void assertClean(Lockdep lockdep) {
        assertEquals(List.of(), lockdep.reports(), () -> "expected no report, got " + lockdep.reports());
    }

    /** Runs {@code task} on a new thread named {@code name} and waits for it; rethrows what it threw. */
    static <T> T onThread(String name, Callable<T> task) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        try {
            return executor.submit(task).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } finally {
            executor.shutdown();
        }
    }

    static void onThread(String name, Runnable task) throws Exception {
        onThread(name, () -> {
            task.run();
            return null;
        });
    }

    /** lock(), run, unlock() for each lock nested in order. */
    static void nested(Runnable body, java.util.concurrent.locks.Lock... locks) {
        nest(0, body, locks);
    }

    private static void nest(int i, Runnable body, java.util.concurrent.locks.Lock[] locks) {
        if (i == locks.length) {
            body.run();
            return;
        }
        locks[i].lock();
        try {
            nest(i + 1, body, locks);
        } finally {
            locks[i].unlock();
        }
    }

    static void nested(java.util.concurrent.locks.Lock... locks) {
        nested(() -> { }, locks);
    }
}
