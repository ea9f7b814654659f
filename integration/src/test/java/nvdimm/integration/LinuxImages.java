package nvdimm.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tukaani.xz.XZInputStream;

/**
 * The Linux-made BTT images of the BTT bundle's tests ({@code nvdimm.btt/src/test/resources/linux-btt}),
 * decompressed on the driver side (in a test's {@code @Configuration}, outside the framework: nothing in the
 * container loads this class).
 */
final class LinuxImages {
    static final Path DIR = Path.of("../nvdimm.btt/src/test/resources/linux-btt").toAbsolutePath().normalize();

    private LinuxImages() {
    }

    /** {@code NAME.img.xz} decompressed into a fresh temporary file. */
    static Path decompress(String name) {
        try {
            Path out = Files.createTempFile("nvdimm-it-" + name + "-", ".img");
            try (InputStream in = new XZInputStream(Files.newInputStream(DIR.resolve(name + ".img.xz")));
                    OutputStream os = Files.newOutputStream(out)) {
                in.transferTo(os);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
