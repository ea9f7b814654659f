package nvdimm.app.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The runtime bundles the launcher carries under {@code bundles/}, in its jar or (in tests run
 * before packaging) in its classes directory.
 */
final class EmbeddedBundles {

    /** The shell starts last, once the stack is ready, so its prompt never races the commands. */
    static final String SHELL_BUNDLE = "org.apache.felix.gogo.jline.jar";
    static final int STACK_START_LEVEL = 1;
    static final int SHELL_START_LEVEL = 2;
    /** Every carried bundle's location starts with this. */
    static final String LOCATION_PREFIX = "nvdimm:bundles/";

    record Entry(String fileName, Path path) {
        int startLevel() {
            return fileName.equals(SHELL_BUNDLE) ? SHELL_START_LEVEL : STACK_START_LEVEL;
        }

        String location() {
            return LOCATION_PREFIX + fileName;
        }

        InputStream open() throws IOException {
            return Files.newInputStream(path);
        }
    }

    private final FileSystem jarFileSystem;
    private final List<Entry> entries;

    private EmbeddedBundles(FileSystem jarFileSystem, List<Entry> entries) {
        this.jarFileSystem = jarFileSystem;
        this.entries = entries;
    }

    /** Finds {@code bundles/} beside the launcher's own classes. */
    static EmbeddedBundles locate() throws IOException {
        Path source;
        try {
            source = Path.of(EmbeddedBundles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the launcher's code source", e);
        }
        FileSystem fs = null;
        Path dir;
        if (Files.isDirectory(source)) {
            dir = source.resolve("bundles");
        } else {
            fs = FileSystems.newFileSystem(source, Map.of());
            dir = fs.getPath("/bundles");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("the launcher at " + source + " carries no bundles/ directory; rebuild it");
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .forEach(p -> entries.add(new Entry(p.getFileName().toString(), p)));
        }
        if (entries.isEmpty()) {
            throw new IOException("the launcher at " + source + " carries no bundles; rebuild it");
        }
        return new EmbeddedBundles(fs, List.copyOf(entries));
    }

    List<Entry> entries() {
        return entries;
    }

    void close() throws IOException {
        if (jarFileSystem != null) {
            jarFileSystem.close();
        }
    }
}
