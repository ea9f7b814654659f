package nvdimm.integration;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * The assembled nvdimm runtime as Pax Exam options: exactly the bundles the launcher carries
 * (collected by the nvdimm.app module), with the launcher's start levels and a private data
 * directory for FileInstall and Gogo.
 */
public final class Runtime {

    /** The shell bundle starts after the stack, as in the launcher. */
    static final String SHELL_BUNDLE = "org.apache.felix.gogo.jline.jar";

    private Runtime() {
    }

    /** The runtime's bundle files, from the launcher module's build. */
    public static List<Path> bundleFiles() {
        Path dir = Path.of(System.getProperty("nvdimm.bundles", "../nvdimm.app/target/classes/bundles"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no runtime bundles at " + dir.toAbsolutePath() + ": build nvdimm.app first");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options that boot the whole runtime in a fresh framework. */
    public static Option[] options() {
        return options(Map.of());
    }

    /** The runtime with extra files in etc/ (name to content), e.g. an emulated bus's configuration. */
    public static Option[] options(Map<String, String> etc) {
        Path data;
        try {
            data = Files.createTempDirectory("nvdimm-it-");
            Files.createDirectories(data.resolve("deploy"));
            Files.createDirectories(data.resolve("etc"));
            Files.createDirectories(data.resolve("shell/etc"));
            for (Map.Entry<String, String> file : etc.entrySet()) {
                Files.writeString(data.resolve("etc").resolve(file.getKey()), file.getValue());
            }
            // tests run the validator in THROW mode (the launcher's default is WARN)
            Files.writeString(data.resolve("etc/nvdimm.lockdep.cfg"), "mode = throw\n");
            // an empty profile: the stock one expects an interactive reader
            Files.writeString(data.resolve("shell/etc/gosh_profile"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Option> options = new ArrayList<>();
        for (Path jar : bundleFiles()) {
            boolean shell = jar.getFileName().toString().equals(SHELL_BUNDLE);
            options.add(bundle(jar.toUri().toString()).startLevel(shell ? 2 : 1).start());
        }
        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(systemTimeout(30_000));
        options.add(frameworkProperty("nvdimm.data").value(data.toString()));
        options.add(frameworkProperty("felix.cm.dir").value(data.resolve("config").toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(data.resolve("deploy") + "," + data.resolve("etc")));
        options.add(frameworkProperty("felix.fileinstall.poll").value("500"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.log.level").value("1"));
        options.add(frameworkProperty("gosh.home").value(data.resolve("shell").toString()));
        options.add(frameworkProperty("gosh.args").value("--nointeractive --nohistory"));
        options.add(frameworkProperty("org.apache.felix.eventadmin.LogLevel").value("1"));
        return options.toArray(Option[]::new);
    }
}
