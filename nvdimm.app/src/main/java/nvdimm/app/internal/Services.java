package nvdimm.app.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Service look-up from the launcher, which sits outside the bundles' class spaces. */
final class Services {

    private Services() {
    }

    /**
     * The best reference registered under {@code type}, without the class-space check: when the
     * launcher's own class path happens to hold the type (as in tests), the plain look-up would hide
     * the bundle's service as "not assignable", although the launcher uses it reflectively only.
     */
    static ServiceReference<?> any(BundleContext context, String type) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
            if (refs == null) {
                return null;
            }
            ServiceReference<?> best = refs[0];
            for (ServiceReference<?> r : refs) {
                if (r.compareTo(best) > 0) {
                    best = r;
                }
            }
            return best;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter was given", e);
        }
    }
}
