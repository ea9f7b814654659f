package nvdimm.emul.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.emul.EmulConfig;
import nvdimm.bus.Sizes;

/**
 * Reads a factory configuration of {@value EmulConfig#FACTORY_PID} into a {@link BusSpec}, refusing
 * anything {@link EmulConfig} does not allow with an {@code EINVAL} naming the configuration, the
 * property and the problem. It only reads: no file is touched.
 */
final class ConfigParser {

    /** Names usable as a bus name (and so as a folder name under the data directory). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    static final String DEFAULT_DIMM_SIZE = "256M";
    /** One size for every DIMM, so it fits any DIMM count. */
    static final String DEFAULT_LABEL_SIZE = "128K";
    static final int DEFAULT_DIMMS = 3;

    private static final Set<String> KNOWN = Set.of(EmulConfig.NAME, EmulConfig.DIMMS, EmulConfig.DIMM_SIZE,
            EmulConfig.LABEL_SIZE, EmulConfig.REGIONS, EmulConfig.BACKING, EmulConfig.LABEL_MAX_TRANSFER);
    /** Keys that start like ours but are not ours are typos, refused rather than ignored. */
    private static final List<String> OUR_STEMS = List.of("name", "dimm", "label", "region", "backing");

    private final String source;

    private ConfigParser(String source) {
        this.source = source;
    }

    /**
     * Parses {@code properties}, the configuration's dictionary as Declarative Services passes it
     * (framework keys such as {@code service.pid} and {@code component.name} are ignored).
     */
    static BusSpec parse(Map<String, ?> properties) {
        String pid = text(properties.get("service.pid"));
        String source = pid != null ? pid : EmulConfig.FACTORY_PID;
        return new ConfigParser(source).spec(properties, pid);
    }

    /** The configuration's own name: what follows {@code ~} in a PID made from a FileInstall file. */
    static String configName(String pid) {
        if (pid == null) {
            return null;
        }
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        String prefix = EmulConfig.FACTORY_PID + ".";
        return pid.startsWith(prefix) ? pid.substring(prefix.length()) : pid;
    }

    private BusSpec spec(Map<String, ?> properties, String pid) {
        for (String key : properties.keySet()) {
            String k = key.toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(key) && OUR_STEMS.stream().anyMatch(k::startsWith)) {
                throw fail(key, "unknown property; the properties are " + String.join(", ", sortedKnown()));
            }
        }
        String name = optionalText(properties, EmulConfig.NAME);
        if (name == null) {
            name = configName(pid);
            if (name == null || !NAME.matcher(name).matches()) {
                throw fail(EmulConfig.NAME, "cannot derive a bus name from the configuration's PID " + pid
                        + "; set " + EmulConfig.NAME);
            }
        } else if (!NAME.matcher(name).matches()) {
            throw fail(EmulConfig.NAME, "'" + name + "' is not a name (letters, digits, '.', '_', '-'; at most 64)");
        }

        int dimms = intValue(properties, EmulConfig.DIMMS, DEFAULT_DIMMS);
        if (dimms < 1 || dimms > EmulConfig.MAX_DIMMS) {
            throw fail(EmulConfig.DIMMS, "must be 1 to " + EmulConfig.MAX_DIMMS + ", not " + dimms);
        }

        long dimmSize = size(EmulConfig.DIMM_SIZE, valueOr(properties, EmulConfig.DIMM_SIZE, DEFAULT_DIMM_SIZE));
        if (dimmSize <= 0 || dimmSize % EmulConfig.DEFAULT_GRANULARITY != 0) {
            throw fail(EmulConfig.DIMM_SIZE, Sizes.format(dimmSize) + " is not a positive multiple of 4096");
        }

        List<Long> labelSizes = labelSizes(valueOr(properties, EmulConfig.LABEL_SIZE, DEFAULT_LABEL_SIZE), dimms,
                dimmSize);
        Object regionsValue = properties.get(EmulConfig.REGIONS);
        List<BusSpec.RegionSpec> regions = regionsValue == null ? onePerDimm(dimms)
                : regions(text(regionsValue), dimms, dimmSize, labelSizes);

        String backing = text(valueOr(properties, EmulConfig.BACKING, EmulConfig.BACKING_FILE)).strip()
                .toLowerCase(Locale.ROOT);
        if (!backing.equals(EmulConfig.BACKING_FILE) && !backing.equals(EmulConfig.BACKING_MEMORY)) {
            throw fail(EmulConfig.BACKING, "'" + backing + "' is neither " + EmulConfig.BACKING_FILE + " nor "
                    + EmulConfig.BACKING_MEMORY);
        }
        int maxTransfer = intValue(properties, EmulConfig.LABEL_MAX_TRANSFER, EmulConfig.DEFAULT_MAX_TRANSFER);
        if (maxTransfer < 1 || maxTransfer > 1 << 20) {
            throw fail(EmulConfig.LABEL_MAX_TRANSFER, "must be 1 to 1048576, not " + maxTransfer);
        }
        return new BusSpec(source, EmulConfig.PROVIDER_PREFIX + name, dimmSize, labelSizes, regions,
                backing.equals(EmulConfig.BACKING_MEMORY), maxTransfer);
    }

    /**
     * The default regions: one per DIMM, in DIMM order. It fits any DIMM count, size and mix of
     * label sizes, where any interleave would need DIMMs alike.
     */
    private static List<BusSpec.RegionSpec> onePerDimm(int dimms) {
        List<BusSpec.RegionSpec> regions = new ArrayList<>();
        for (int i = 0; i < dimms; i++) {
            regions.add(new BusSpec.RegionSpec(List.of(i), 0));
        }
        return regions;
    }

    private List<Long> labelSizes(Object value, int dimms, long dimmSize) {
        List<String> items = items(value);
        if (items.size() != 1 && items.size() != dimms) {
            throw fail(EmulConfig.LABEL_SIZE, items.size() + " values for " + dimms
                    + " DIMMs; give one size for all DIMMs or one per DIMM");
        }
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < dimms; i++) {
            String item = items.get(items.size() == 1 ? 0 : i);
            long size = size(EmulConfig.LABEL_SIZE, item);
            if (size != 0 && size < EmulConfig.MIN_LABEL_SIZE) {
                throw fail(EmulConfig.LABEL_SIZE, "DIMM " + i + ": " + Sizes.format(size)
                        + " is neither 0 (no labels) nor at least 128K");
            }
            if (size > Long.MAX_VALUE - dimmSize) {
                throw fail(EmulConfig.LABEL_SIZE, "DIMM " + i + ": " + item + " is too large");
            }
            sizes.add(size);
        }
        return sizes;
    }

    private List<BusSpec.RegionSpec> regions(String text, int dimms, long dimmSize, List<Long> labelSizes) {
        List<BusSpec.RegionSpec> regions = new ArrayList<>();
        if (text.isBlank()) {
            return regions;
        }
        Map<Integer, Integer> regionOf = new HashMap<>();
        String[] parts = text.split(",", -1);
        for (int r = 0; r < parts.length; r++) {
            String part = parts[r].strip();
            String where = "region " + r + " ('" + part + "')";
            String[] dimmAndGranule = part.split(":", -1);
            if (part.isEmpty() || dimmAndGranule.length > 2) {
                throw fail(EmulConfig.REGIONS, where + ": not DIMMs joined by '+' with an optional ':granularity'");
            }
            List<Integer> members = new ArrayList<>();
            for (String d : dimmAndGranule[0].split("\\+", -1)) {
                int dimm;
                try {
                    dimm = Integer.parseInt(d.strip());
                } catch (NumberFormatException e) {
                    throw fail(EmulConfig.REGIONS, where + ": '" + d.strip() + "' is not a DIMM index");
                }
                if (dimm < 0 || dimm >= dimms) {
                    throw fail(EmulConfig.REGIONS, where + ": DIMM " + dimm + " is out of range 0.." + (dimms - 1));
                }
                if (members.contains(dimm)) {
                    throw fail(EmulConfig.REGIONS, where + ": DIMM " + dimm + " appears twice");
                }
                Integer earlier = regionOf.putIfAbsent(dimm, r);
                if (earlier != null) {
                    throw fail(EmulConfig.REGIONS, where + ": DIMM " + dimm + " is already in region " + earlier);
                }
                members.add(dimm);
            }
            long granularity = 0;
            if (dimmAndGranule.length == 2) {
                if (members.size() < 2) {
                    throw fail(EmulConfig.REGIONS, where + ": a granularity needs two or more DIMMs to interleave");
                }
                granularity = size(EmulConfig.REGIONS, dimmAndGranule[1]);
            } else if (members.size() > 1) {
                granularity = EmulConfig.DEFAULT_GRANULARITY;
            }
            if (members.size() > 1) {
                if (granularity < EmulConfig.DEFAULT_GRANULARITY || Long.bitCount(granularity) != 1) {
                    throw fail(EmulConfig.REGIONS, where + ": granularity " + Sizes.format(granularity)
                            + " is not a power of two of at least 4096");
                }
                if (dimmSize % granularity != 0) {
                    throw fail(EmulConfig.REGIONS, where + ": " + EmulConfig.DIMM_SIZE + " " + Sizes.format(dimmSize)
                            + " is not a multiple of the granularity " + Sizes.format(granularity));
                }
            }
            boolean labeled = labelSizes.get(members.get(0)) > 0;
            for (int dimm : members) {
                if (labelSizes.get(dimm) > 0 != labeled) {
                    throw fail(EmulConfig.REGIONS, where + ": mixes DIMMs with a label area and without one ("
                            + EmulConfig.LABEL_SIZE + " of DIMM " + members.get(0) + " is "
                            + labelSizes.get(members.get(0)) + ", of DIMM " + dimm + " " + labelSizes.get(dimm) + ")");
                }
            }
            if (dimmSize > Long.MAX_VALUE / members.size()) {
                throw fail(EmulConfig.REGIONS, where + ": the region would be too large");
            }
            regions.add(new BusSpec.RegionSpec(members, granularity));
        }
        return regions;
    }

    private long size(String key, Object value) {
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            long v = n.longValue();
            if (v < 0) {
                throw fail(key, v + " is negative");
            }
            return v;
        }
        String t = text(value);
        try {
            return Sizes.parse(t);
        } catch (IllegalArgumentException e) {
            throw fail(key, "'" + t + "' is " + e.getMessage());
        }
    }

    private int intValue(Map<String, ?> properties, String key, int fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long v = ((Number) value).longValue();
            return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? Integer.MIN_VALUE : (int) v;
        }
        String t = text(value).strip();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw fail(key, "'" + t + "' is not a whole number");
        }
    }

    private static Object valueOr(Map<String, ?> properties, String key, Object fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : value;
    }

    private String optionalText(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null) {
            return null;
        }
        String t = text(value).strip();
        return t.isEmpty() ? null : t;
    }

    /** A scalar as text; arrays and collections of one element count as that element. */
    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        List<String> items = rawItems(value);
        return String.join(",", items);
    }

    /** The comma-separated items of a string, or the elements of an array or collection. */
    private static List<String> items(Object value) {
        List<String> out = new ArrayList<>();
        for (String raw : rawItems(value)) {
            for (String piece : raw.split(",", -1)) {
                out.add(piece.strip());
            }
        }
        return out;
    }

    private static List<String> rawItems(Object value) {
        List<String> out = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(String.valueOf(Array.get(value, i)));
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                out.add(String.valueOf(o));
            }
        } else {
            out.add(String.valueOf(value));
        }
        return out;
    }

    private static List<String> sortedKnown() {
        return KNOWN.stream().sorted().toList();
    }

    private NvdimmException fail(String key, String problem) {
        return new NvdimmException(Errno.EINVAL, source + ": " + key + ": " + problem);
    }
}
