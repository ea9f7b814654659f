package nvdimm.app.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Decides when the stack is ready for commands: every bundle that should run is ACTIVE, and every
 * artifact that sat in deploy/ and etc/ at launch has been taken in by FileInstall (its bundle
 * installed, its configuration created). Without this, a one-shot command would race FileInstall's
 * first scan and see a stack without its providers.
 */
final class StartupBarrier {

    private static final String CONFIG_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    private static final String FILENAME = "felix.fileinstall.filename";
    private static final long POLL_MS = 10;

    private final BundleContext context;
    private final Set<String> deployLocations = new HashSet<>();
    private final Set<String> configFiles = new HashSet<>();

    /** Snapshots deploy/ and etc/ as they are now: what appears later is FileInstall's business. */
    StartupBarrier(BundleContext context, DataDir data) throws IOException {
        this.context = context;
        Set<String> builtIn = BuiltInDeployGuard.builtInNames(context);
        for (Path jar : list(data.deploy(), ".jar")) {
            if (BuiltInDeployGuard.claims(jar, builtIn)) {
                continue; // the guard installs nothing for it
            }
            // FileInstall's own spelling of a location: File.toURI ("file:/x"), not Path.toUri ("file:///x")
            deployLocations.add(jar.toAbsolutePath().toFile().toURI().normalize().toString());
        }
        for (Path cfg : list(data.etc(), ".cfg", ".config")) {
            configFiles.add(cfg.toAbsolutePath().toFile().toURI().toString());
        }
    }

    private static List<Path> list(Path dir, String... suffixes) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                for (String suffix : suffixes) {
                    if (p.getFileName().toString().endsWith(suffix)) {
                        found.add(p);
                    }
                }
            });
        }
        return found;
    }

    /** Waits until nothing is pending or {@code timeout} passes; returns what is still pending. */
    List<String> await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> pending = pending();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MS);
            pending = pending();
        }
        return pending;
    }

    /** What the stack is still waiting for, each named for a person to read. */
    List<String> pending() {
        List<String> pending = new ArrayList<>();
        int level = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
        Set<String> installed = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            installed.add(b.getLocation());
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
            boolean shouldRun = b.getBundleId() != 0 && !fragment && bsl != null
                    && bsl.isPersistentlyStarted() && bsl.getStartLevel() <= level;
            if (shouldRun && b.getState() != Bundle.ACTIVE) {
                pending.add("bundle " + b.getSymbolicName() + " to start");
            }
        }
        for (String location : deployLocations) {
            if (!installed.contains(location)) {
                pending.add("FileInstall to install " + location);
            }
        }
        Set<String> applied = appliedConfigFiles();
        for (String file : configFiles) {
            if (!applied.contains(file)) {
                pending.add("FileInstall to apply " + file);
            }
        }
        return pending;
    }

    private Set<String> appliedConfigFiles() {
        Set<String> applied = new HashSet<>();
        if (configFiles.isEmpty()) {
            return applied;
        }
        ServiceReference<?> ref = Services.any(context, CONFIG_ADMIN);
        Object cm = ref == null ? null : context.getService(ref);
        if (cm == null) {
            return applied;
        }
        try {
            ClassLoader loader = cm.getClass().getClassLoader();
            Method list = loader.loadClass(CONFIG_ADMIN).getMethod("listConfigurations", String.class);
            Method properties = loader.loadClass(CONFIGURATION).getMethod("getProperties");
            Object[] configs = (Object[]) list.invoke(cm, "(" + FILENAME + "=*)");
            for (Object config : configs == null ? new Object[0] : configs) {
                Dictionary<?, ?> props = (Dictionary<?, ?>) properties.invoke(config);
                if (props != null && props.get(FILENAME) != null) {
                    applied.add(props.get(FILENAME).toString());
                }
            }
        } catch (ReflectiveOperationException e) {
            // a Configuration Admin we cannot read cannot tell us anything: report the files pending
        } finally {
            context.ungetService(ref);
        }
        return applied;
    }
}
