package nvdimm.app.internal;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Keeps deploy/ from replacing or removing the bundles the launcher carries. FileInstall, given a
 * jar whose symbolic name and version match an installed bundle, updates that bundle from the jar
 * and from then on treats it as its own: deleting the copy would uninstall the built-in bundle
 * (a copied {@code nvdimm.emul.jar} would take every emulated bus down until a restart). This
 * guard is a FileInstall {@code ArtifactInstaller} that claims, ahead of FileInstall's own bundle
 * handling, every jar in deploy/ that names a built-in bundle (any version) and every jar that is
 * not a bundle at all; it installs nothing and says so in the log, once per change of the file.
 *
 * <p>The launcher is not a bundle and cannot see FileInstall's API classes, so the guard is a
 * dynamic proxy of the interface as FileInstall's own class loader has it, registered by the
 * system bundle before FileInstall's first scan.
 */
final class BuiltInDeployGuard implements InvocationHandler {

    private static final Logger LOG = Logger.getLogger(BuiltInDeployGuard.class.getName());

    static final String FILEINSTALL = "org.apache.felix.fileinstall";
    static final String ARTIFACT_INSTALLER = "org.apache.felix.fileinstall.ArtifactInstaller";
    static final String ARTIFACT_LISTENER = "org.apache.felix.fileinstall.ArtifactListener";
    /** Ahead of FileInstall's configuration installer (which only takes .cfg and .config anyway). */
    static final int RANKING = 1000;

    private final Path deploy;
    private final Set<String> builtIn;

    private BuiltInDeployGuard(Path deploy, Set<String> builtIn) {
        this.deploy = deploy.toAbsolutePath().normalize();
        this.builtIn = Set.copyOf(builtIn);
    }

    /**
     * Registers the guard; call after the carried bundles are installed and before the framework
     * starts (FileInstall scans deploy/ as soon as it starts).
     */
    static ServiceRegistration<?> register(BundleContext context, DataDir data) throws ClassNotFoundException {
        Bundle fileInstall = null;
        for (Bundle b : context.getBundles()) {
            if (FILEINSTALL.equals(b.getSymbolicName())) {
                fileInstall = b;
            }
        }
        if (fileInstall == null) {
            throw new ClassNotFoundException("the launcher carries no " + FILEINSTALL + " bundle; rebuild it");
        }
        Class<?> installer = fileInstall.loadClass(ARTIFACT_INSTALLER);
        BuiltInDeployGuard guard = new BuiltInDeployGuard(data.deploy(), builtInNames(context));
        Object proxy = Proxy.newProxyInstance(installer.getClassLoader(), new Class<?>[] {installer}, guard);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, RANKING);
        props.put(Constants.SERVICE_DESCRIPTION, "keeps deploy/ from replacing or removing built-in bundles");
        return context.registerService(new String[] {ARTIFACT_INSTALLER, ARTIFACT_LISTENER}, proxy, props);
    }

    /** The symbolic names of the bundles the launcher installed from what it carries. */
    static Set<String> builtInNames(BundleContext context) {
        Set<String> names = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(EmbeddedBundles.LOCATION_PREFIX) && b.getSymbolicName() != null) {
                names.add(b.getSymbolicName());
            }
        }
        return names;
    }

    /**
     * Whether the guard takes {@code jar} from FileInstall: a jar in deploy/ naming a built-in
     * bundle, or one that is no bundle. The startup barrier waits for neither.
     */
    static boolean claims(Path jar, Set<String> builtIn) {
        return verdict(jar.toFile(), builtIn) != null;
    }

    /** Why the guard refuses the file, or {@code null} when FileInstall may have it. */
    private static String verdict(File file, Set<String> builtIn) {
        if (!file.getName().toLowerCase(Locale.ROOT).endsWith(".jar") || !file.isFile()) {
            return null;
        }
        Manifest manifest;
        try (JarFile jar = new JarFile(file)) {
            manifest = jar.getManifest();
        } catch (IOException | SecurityException e) {
            return "is not a readable jar (" + OneShot.describe(e) + "); nothing was installed";
        }
        String bsn = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank()) {
            return "is not a bundle (" + (manifest == null ? "no manifest" : "no Bundle-SymbolicName")
                    + "); nothing was installed";
        }
        String name = bsn.split(";", 2)[0].strip();
        if (builtIn.contains(name)) {
            return "names the built-in bundle " + name + ", which deploy/ can neither replace nor remove;"
                    + " the built-in one stays (delete the copy)";
        }
        return null;
    }

    private boolean inDeploy(File file) {
        return deploy.equals(file.toPath().toAbsolutePath().normalize().getParent());
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "canHandle" -> inDeploy((File) args[0]) && verdict((File) args[0], builtIn) != null;
            case "install", "update" -> {
                File file = (File) args[0];
                String why = verdict(file, builtIn); // null only if the file changed since canHandle: the next scan sees it
                if (why != null) {
                    LOG.warning("deploy/" + file.getName() + " " + why);
                }
                yield null;
            }
            case "uninstall" -> {
                LOG.info("deploy/" + ((File) args[0]).getName() + " was deleted or changed; it had installed nothing");
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "BuiltInDeployGuard[" + deploy + "]";
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
