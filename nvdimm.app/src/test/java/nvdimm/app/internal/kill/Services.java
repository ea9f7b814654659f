package nvdimm.app.internal.kill;

import java.util.Optional;
import java.util.function.Predicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Waits for a service of the child runtime, as a user waits for a device to appear after a start. */
final class Services {

    static final long PATIENCE_MS = 60_000;

    private Services() {
    }

    static <T> T await(BundleContext context, Class<T> type, Predicate<T> which, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MS;
        while (true) {
            Optional<T> found = find(context, type, which);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(what + " did not appear within " + PATIENCE_MS + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static <T> Optional<T> find(BundleContext context, Class<T> type, Predicate<T> which) {
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
                T service = context.getService(ref);
                if (service != null && which.test(service)) {
                    return Optional.of(service);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }
}
