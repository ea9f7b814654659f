package nvdimm.shell.internal.ndctl;

import java.math.BigInteger;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ndctl's {@code -u/--human} forms (its json.c): a size below 5000 KiB stays a number, larger ones
 * become {@code "256.00 MiB (268.44 MB)"} (MiB and MB below 2 GiB, GiB and GB above, rounded to the
 * hundredth); identifiers become C {@code %#llx} strings ({@code "0x1"}, and {@code "0"} for zero).
 * Without it, numbers stay JSON numbers.
 */
final class Human {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private Human() {
    }

    /** Whether ndctl prints this size as a string in human mode. */
    static boolean sizeIsText(long bytes) {
        return bytes >= 5000L * 1024;
    }

    /** The human form of a size at or above 5000 KiB. */
    static String size(long bytes) {
        boolean giga = bytes >= 2 * GIB;
        long binary = centi(BigInteger.valueOf(bytes).multiply(BigInteger.valueOf(200))
                .divide(BigInteger.valueOf(giga ? GIB : MIB)).longValue());
        long decimal = centi(bytes / (giga ? 1_000_000_000L / 200 : 1_000_000L / 200));
        return String.format(Locale.ROOT, "%d.%02d %s (%d.%02d %s)", binary / 100, binary % 100, giga ? "GiB" : "MiB",
                decimal / 100, decimal % 100, giga ? "GB" : "MB");
    }

    /** Doubled hundredths rounded half up to hundredths, as ndctl rounds. */
    private static long centi(long doubled) {
        return (doubled + 1) / 2;
    }

    /** C's {@code %#llx}: "0" for zero, else "0x" and the digits. */
    static String hex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }

    static void putSize(ObjectNode node, String key, long bytes, boolean human) {
        if (human && sizeIsText(bytes)) {
            node.put(key, size(bytes));
        } else {
            node.put(key, bytes);
        }
    }

    static void putHex(ObjectNode node, String key, long value, boolean human) {
        if (human) {
            node.put(key, hex(value));
        } else {
            node.put(key, value);
        }
    }
}
