package nvdimm.virtio.internal;

import java.lang.reflect.Array;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.Sizes;
import nvdimm.virtio.VirtioConfig;

/**
 * Reads a factory configuration of {@value VirtioConfig#FACTORY_PID} into a {@link VirtioSpec}, refusing
 * anything {@link VirtioConfig} does not allow with an {@code EINVAL} naming the configuration, the key and
 * the problem. It only reads: no file is touched.
 */
final class VirtioConfigParser {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final long PAGE = 4096;
    private static final Set<String> KNOWN = Set.of(VirtioConfig.NAME, VirtioConfig.PATH, VirtioConfig.SIZE,
            VirtioConfig.QUEUE_SIZE, VirtioConfig.HOST_THREADS);
    /** Keys that start like ours but are not ours are typos, refused rather than ignored. */
    private static final Set<String> OUR_STEMS = Set.of("name", "path", "size", "queue", "host");

    private final String source;

    private VirtioConfigParser(String source) {
        this.source = source;
    }

    /**
     * Parses {@code properties} as Declarative Services passes them (framework keys are ignored).
     *
     * @param dataDir where a relative {@value VirtioConfig#PATH} lives; null resolves it against the working
     *     directory
     */
    static VirtioSpec parse(Map<String, ?> properties, Path dataDir) {
        Object pid = properties.get("service.pid");
        String source = pid == null ? VirtioConfig.FACTORY_PID : text(pid);
        return new VirtioConfigParser(source).spec(properties, source, dataDir);
    }

    /** The configuration's own name: what follows {@code ~} in a PID made from a FileInstall file. */
    static String configName(String pid) {
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        String prefix = VirtioConfig.FACTORY_PID + ".";
        return pid.startsWith(prefix) ? pid.substring(prefix.length()) : pid;
    }

    private VirtioSpec spec(Map<String, ?> properties, String pid, Path dataDir) {
        for (String key : properties.keySet()) {
            String k = key.toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(key) && OUR_STEMS.stream().anyMatch(k::startsWith)) {
                throw fail(key, "unknown property; the properties are " + String.join(", ", new TreeSet<>(KNOWN)));
            }
        }
        String name = optionalText(properties, VirtioConfig.NAME);
        if (name == null) {
            name = configName(pid);
            if (!NAME.matcher(name).matches()) {
                throw fail(VirtioConfig.NAME, "cannot derive a device name from the configuration's PID " + pid
                        + "; set " + VirtioConfig.NAME);
            }
        } else if (!NAME.matcher(name).matches()) {
            throw fail(VirtioConfig.NAME, "'" + name + "' is not a name (letters, digits, '.', '_', '-'; at most 64)");
        }
        String pathText = optionalText(properties, VirtioConfig.PATH);
        if (pathText == null) {
            throw fail(VirtioConfig.PATH, "missing: the backing file is required");
        }
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw fail(VirtioConfig.PATH, "'" + pathText + "' is not a path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            path = (dataDir == null ? Path.of("") : dataDir).resolve(path);
        }
        path = path.toAbsolutePath().normalize();
        String sizeText = optionalText(properties, VirtioConfig.SIZE);
        if (sizeText == null) {
            throw fail(VirtioConfig.SIZE, "missing: the device's size is required");
        }
        long size;
        try {
            size = Sizes.parse(sizeText);
        } catch (IllegalArgumentException e) {
            throw fail(VirtioConfig.SIZE, "'" + sizeText + "' is " + e.getMessage());
        }
        if (size <= 0 || size % PAGE != 0) {
            throw fail(VirtioConfig.SIZE, Sizes.format(size) + " is not a positive multiple of 4096");
        }
        int queueSize = intValue(properties, VirtioConfig.QUEUE_SIZE, VirtioConfig.DEFAULT_QUEUE_SIZE);
        if (queueSize < 1 || queueSize > VirtioConfig.MAX_QUEUE_SIZE || Integer.bitCount(queueSize) != 1) {
            throw fail(VirtioConfig.QUEUE_SIZE, queueSize + " is not a power of two from 1 to "
                    + VirtioConfig.MAX_QUEUE_SIZE);
        }
        int threads = intValue(properties, VirtioConfig.HOST_THREADS, VirtioConfig.DEFAULT_HOST_THREADS);
        if (threads < 1 || threads > VirtioConfig.MAX_HOST_THREADS) {
            throw fail(VirtioConfig.HOST_THREADS, threads + " is not from 1 to " + VirtioConfig.MAX_HOST_THREADS);
        }
        return new VirtioSpec(source, name, path, size, queueSize, threads);
    }

    private int intValue(Map<String, ?> properties, String key, int fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long v = ((Number) value).longValue();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw fail(key, v + " is out of range");
            }
            return (int) v;
        }
        String t = text(value).strip();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw fail(key, "'" + t + "' is not a whole number");
        }
    }

    private String optionalText(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null) {
            return null;
        }
        String t = text(value).strip();
        return t.isEmpty() ? null : t;
    }

    /** A scalar as text; arrays and collections count as their elements joined by commas. */
    private static String text(Object value) {
        StringBuilder b = new StringBuilder();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                b.append(i == 0 ? "" : ",").append(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                b.append(b.isEmpty() ? "" : ",").append(o);
            }
        } else {
            b.append(value);
        }
        return b.toString();
    }

    private NvdimmException fail(String key, String problem) {
        return new NvdimmException(Errno.EINVAL, source + ": " + key + ": " + problem);
    }
}
