package nvdimm.shell.internal.ndctl;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ndctl's {@code -u/--human} forms: sizes as {@code "256.00 MiB (268.44 MB)"}, identifiers as hex
 * strings. Without it, numbers stay JSON numbers.
 */
final class Human {

    private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final String[] DECIMAL = {"KB", "MB", "GB", "TB", "PB"};

    private Human() {
    }

    /** A size in both binary and decimal units, as ndctl prints it; plain bytes below 1 KiB. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + "";
        }
        return scaled(bytes, 1024, BINARY) + " (" + scaled(bytes, 1000, DECIMAL) + ")";
    }

    private static String scaled(long bytes, int base, String[] units) {
        double value = bytes;
        int unit = -1;
        while (value >= base && unit + 1 < units.length) {
            value /= base;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }

    static void putSize(ObjectNode node, String key, long bytes, boolean human) {
        if (human) {
            node.put(key, size(bytes));
        } else {
            node.put(key, bytes);
        }
    }

    static void putHex(ObjectNode node, String key, long value, boolean human) {
        if (human) {
            node.put(key, "0x" + Long.toHexString(value));
        } else {
            node.put(key, value);
        }
    }
}
