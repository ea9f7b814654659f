package nvdimm.app.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.Constants;

/** The framework and runtime-bundle properties for one launch. */
final class FrameworkProperties {

    /** Framework property holding the data directory, for bundles that keep media files there. */
    static final String DATA_DIR = "nvdimm.data";

    /** The version of the OSGi log API package the launcher carries (org.osgi.service.log 1.5.0). */
    static final String LOG_API_VERSION = "1.5.0";

    /** How often FileInstall looks at deploy/ and etc/ (ms). */
    static final String FILEINSTALL_POLL_MS = "1000";

    private FrameworkProperties() {
    }

    static Map<String, Object> of(DataDir data) {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, data.framework().toString());
        // The launcher reinstalls its bundles at every start; persistent state lives in config/ and media files.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, String.valueOf(EmbeddedBundles.STACK_START_LEVEL));
        // The launcher carries the OSGi log API and serves it (RuntimeLog) from the system bundle.
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.log;version=\"" + LOG_API_VERSION + "\"");
        p.put("felix.log.level", "2");
        p.put("felix.log.logger", new JulFrameworkLogger());
        p.put(DATA_DIR, data.root().toString());

        p.put("felix.cm.dir", data.config().toString());

        p.put("felix.fileinstall.dir", data.deploy() + "," + data.etc());
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.poll", FILEINSTALL_POLL_MS);
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.tmpdir", data.framework().resolve("fileinstall-tmp").toString());
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.optionalImportRefreshScope", "managed");

        p.put("ds.loglevel", "warn");
        // EventAdmin has no log but stderr; at warning level it reports its own shutdown there.
        p.put("org.apache.felix.eventadmin.LogLevel", "1");

        // The shell bundle starts for its builtins but opens no console: the interactive shell is
        // the launcher's (ConsoleBundle), one-shot commands run in a session of their own.
        p.put("gosh.home", data.quietShell().toString());
        p.put("gosh.args", "--nointeractive --nohistory");
        return p;
    }
}
