package nvdimm.bus;

import java.util.Locale;

/**
 * Sizes as configurations and commands write them: decimal bytes with an optional binary suffix,
 * {@code K}, {@code M}, {@code G} or {@code T}, optionally followed by {@code iB} or {@code B},
 * ignoring case ({@code 256M}, {@code 128KiB}, {@code 4096}).
 */
public final class Sizes {

    private Sizes() {
    }

    /**
     * The number of bytes {@code text} says.
     *
     * @throws IllegalArgumentException naming the problem, for text that is not a size or a size
     *     beyond {@link Long#MAX_VALUE}
     */
    public static long parse(String text) {
        String t = text.strip();
        int digits = 0;
        while (digits < t.length() && t.charAt(digits) >= '0' && t.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0) {
            throw new IllegalArgumentException("not a size (digits and an optional K, M, G or T)");
        }
        int shift = switch (t.substring(digits).strip().toUpperCase(Locale.ROOT)) {
            case "", "B" -> 0;
            case "K", "KB", "KIB" -> 10;
            case "M", "MB", "MIB" -> 20;
            case "G", "GB", "GIB" -> 30;
            case "T", "TB", "TIB" -> 40;
            default -> throw new IllegalArgumentException("unknown unit '" + t.substring(digits).strip()
                    + "' (use K, M, G or T)");
        };
        long value;
        try {
            value = Long.parseLong(t.substring(0, digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
        if (value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("too large");
        }
        return value << shift;
    }

    /** The shortest exact form: {@code 256M} for 268435456, {@code 4097} for 4097. */
    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value != 0 && (value & 1023) == 0) {
            value >>= 10;
            unit++;
        }
        return value + units[unit];
    }
}
