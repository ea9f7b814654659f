package nvdimm.app.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The interactive shell's code ({@code nvdimm.app.internal.console}) needs JLine and Gogo, which
 * live in bundles: the launcher wraps those classes of its own into a bundle at start, installs it,
 * and runs the shell through it. The launcher's class loader never links them.
 */
final class ConsoleBundle {

    static final String LOCATION = "nvdimm:console";
    static final String SYMBOLIC_NAME = "nvdimm.app.console";
    // names, not class literals: the launcher's class loader must never load these classes
    private static final String PACKAGE = "nvdimm.app.internal.console";
    private static final String CONSOLE = PACKAGE + ".Console";
    private static final String IMPORTS = String.join(",",
            "org.apache.felix.gogo.jline", "org.apache.felix.gogo.runtime", "org.apache.felix.service.command",
            "org.jline.builtins", "org.jline.reader", "org.jline.terminal", "org.jline.utils", "org.osgi.framework");

    private ConsoleBundle() {
    }

    /** Runs the interactive shell until it ends; returns the exit code it asks for. */
    static int run(BundleContext context, String profile, Path history) throws LaunchException {
        try {
            Bundle bundle = context.installBundle(LOCATION, new ByteArrayInputStream(jar()));
            bundle.start();
            Class<?> console = bundle.loadClass(CONSOLE);
            return (int) console.getMethod("run", String.class, Path.class).invoke(null, profile, history);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new LaunchException("the shell failed: " + OneShot.describe(cause), cause);
        } catch (BundleException | IOException | ReflectiveOperationException e) {
            throw new LaunchException("cannot start the shell: " + OneShot.describe(e), e);
        }
    }

    /** The class files of the console package, nested classes included, from the launcher's jar or classes. */
    private static List<String> classFiles() throws IOException {
        String dir = PACKAGE.replace('.', '/');
        Path source;
        try {
            source = Path.of(ConsoleBundle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the launcher's code source", e);
        }
        List<String> found = new ArrayList<>();
        try (FileSystem fs = Files.isDirectory(source) ? null : FileSystems.newFileSystem(source, Map.of())) {
            Path root = fs == null ? source : fs.getPath("/");
            try (Stream<Path> files = Files.list(root.resolve(dir))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                        .forEach(n -> found.add(dir + "/" + n));
            }
        }
        if (found.isEmpty()) {
            throw new IOException("the launcher at " + source + " carries no " + dir + " classes; rebuild it");
        }
        return found;
    }

    private static byte[] jar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", IMPORTS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (String entry : classFiles()) {
                try (InputStream in = ConsoleBundle.class.getClassLoader().getResourceAsStream(entry)) {
                    jar.putNextEntry(new JarEntry(entry));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
