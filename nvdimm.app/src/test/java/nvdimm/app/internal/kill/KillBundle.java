package nvdimm.app.internal.kill;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the child's side of the kill test ({@link KillCommands} and what it uses) into a bundle and
 * drops it into a data directory's {@code deploy/}, where the launcher starts it with the runtime.
 */
final class KillBundle {

    static final String SYMBOLIC_NAME = "nvdimm.test.kill";
    private static final List<Class<?>> CLASSES = List.of(KillCommands.class, SectorWriter.class,
            NamespaceChurn.class, Report.class, Services.class, SectorPattern.class);

    private KillBundle() {
    }

    static void deploy(Path data) throws IOException {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Path staged = deploy.getParent().resolve(".killtest.jar.tmp");
        write(staged);
        Files.move(staged, deploy.resolve("killtest.jar"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", KillCommands.class.getName());
        a.putValue("Import-Package", "nvdimm.bus, nvdimm.namespace, org.apache.felix.service.command, org.osgi.framework");
        Path classes = classesRoot();
        String pkg = KillCommands.class.getPackageName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, mf);
                Stream<Path> files = Files.list(classes.resolve(pkg))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                boolean mine = CLASSES.stream().anyMatch(c -> name.equals(c.getSimpleName() + ".class")
                        || name.startsWith(c.getSimpleName() + "$"));
                if (mine) {
                    out.putNextEntry(new JarEntry(pkg + "/" + name));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
    }

    private static Path classesRoot() {
        try {
            return Path.of(KillCommands.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
