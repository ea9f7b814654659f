package nvdimm.app.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Routes Felix's own log to java.util.logging, so that nothing the framework says lands on the
 * standard output that one-shot mode reserves for command results.
 */
final class JulFrameworkLogger extends org.apache.felix.framework.Logger {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    @Override
    @SuppressWarnings("rawtypes") // Felix declares the raw type
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String prefix = bundle != null ? "[" + bundle.getSymbolicName() + "] " : "";
        LOG.log(toJul(level), prefix + msg, throwable);
    }

    static Level toJul(int osgiLevel) {
        return switch (osgiLevel) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
    }
}
