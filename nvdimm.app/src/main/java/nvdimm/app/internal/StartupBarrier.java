package nvdimm.app.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String COMPONENT_DESCRIPTION = "org.osgi.service.component.runtime.dto.ComponentDescriptionDTO";
    private static final String COMMAND_FUNCTION = "osgi.command.function";
    // ComponentConfigurationDTO states
    private static final int SATISFIED = 4;
    private static final int ACTIVE = 8;
    private static final int FAILED_ACTIVATION = 16;

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
        pending.addAll(unregisteredCommands());
        return pending;
    }

    /**
     * Gogo commands that Declarative Services components declare but have not registered yet: SCR
     * activates components after their bundle is ACTIVE, so without this a command typed at once
     * could meet "Command not found". A component that cannot register (a reference missing for
     * good, a failed activation) is reported, not waited for forever: await's timeout ends it.
     */
    private List<String> unregisteredCommands() {
        List<String> pending = new ArrayList<>();
        ServiceReference<?> ref = Services.any(context, SCR);
        Object scr = ref == null ? null : context.getService(ref);
        if (scr == null) {
            pending.add("Service Component Runtime to start");
            return pending;
        }
        try {
            ClassLoader loader = scr.getClass().getClassLoader();
            Class<?> scrType = loader.loadClass(SCR);
            Class<?> descriptionType = loader.loadClass(COMPONENT_DESCRIPTION);
            Method descriptions = scrType.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method enabled = scrType.getMethod("isComponentEnabled", descriptionType);
            Method configurations = scrType.getMethod("getComponentConfigurationDTOs", descriptionType);
            for (Object d : (Collection<?>) descriptions.invoke(scr, (Object) new Bundle[0])) {
                Map<?, ?> props = (Map<?, ?>) field(d, "properties");
                if (props == null || props.get(COMMAND_FUNCTION) == null
                        || "require".equals(field(d, "configurationPolicy")) || !(boolean) enabled.invoke(scr, d)) {
                    continue;
                }
                boolean settled = false;
                for (Object c : (Collection<?>) configurations.invoke(scr, d)) {
                    int state = (int) field(c, "state");
                    settled |= state == SATISFIED || state == ACTIVE || state == FAILED_ACTIVATION;
                }
                if (!settled) {
                    pending.add("component " + field(d, "name") + " to register its commands");
                }
            }
        } catch (ReflectiveOperationException e) {
            // an SCR we cannot read tells nothing; the bundles being ACTIVE has to do
        } finally {
            context.ungetService(ref);
        }
        return pending;
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        return dto.getClass().getField(name).get(dto);
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
