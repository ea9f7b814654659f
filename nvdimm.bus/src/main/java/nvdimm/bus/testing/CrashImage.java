package nvdimm.bus.testing;

import java.util.List;
import java.util.Objects;

import nvdimm.bus.Medium;

/**
 * One crash image of a {@link CrashPoint}: one volatile {@link Medium} per recorded medium, in the
 * recorder's order, together what a power failure could leave of all of them. Its name says the
 * point (barrier and marker) and the value each exhaustive word took, so a failure is readable.
 * The images share the persisted pages copy-on-write; closing releases what the checker wrote.
 */
public final class CrashImage implements AutoCloseable {

    private final String name;
    private final List<String> names;
    private final List<Medium> media;

    CrashImage(String name, List<String> names, List<Medium> media) {
        this.name = name;
        this.names = List.copyOf(names);
        this.media = List.copyOf(media);
    }

    /** Names the point and the choices, for failure messages. */
    public String name() {
        return name;
    }

    /** The image of each recorded medium, in the recorder's order. */
    public List<Medium> media() {
        return media;
    }

    /** The image of the recorded medium called {@code mediumName}. */
    public Medium medium(String mediumName) {
        Objects.requireNonNull(mediumName, "mediumName");
        int i = names.indexOf(mediumName);
        if (i >= 0) {
            return media.get(i);
        }
        throw new IllegalArgumentException(name + " has no medium " + mediumName);
    }

    @Override
    public void close() {
        media.forEach(Medium::close);
    }

    @Override
    public String toString() {
        return name;
    }
}
