package nvdimm.shell.internal.cli;

import java.math.BigInteger;

/**
 * Sizes as ndctl reads them (its {@code parse_size64}): a C integer in any base ({@code 4096},
 * {@code 0x1000}, {@code 010} octal) with an optional binary suffix {@code k}, {@code m}, {@code g} or
 * {@code t} in either case, and nothing after it. Unlike ndctl, which wraps a negative number and lets
 * an overflowing product through, both are refused here.
 */
public final class Sizes {

    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Sizes() {
    }

    /**
     * The size {@code text} names, in bytes.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static long parse(String text) {
        String s = text.strip();
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.isEmpty() || s.startsWith("-") || s.startsWith("+")) {
            throw new IllegalArgumentException("'" + text + "' is not a size");
        }
        int shift = switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        int radix = 10;
        if (digits.length() > 1 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        int base = radix;
        // ASCII digits only: Character.digit also takes other scripts' digits ('１６m'), which ndctl's strtoull does not
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, base) >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not a size");
        }
        BigInteger value = new BigInteger(digits, radix).shiftLeft(shift);
        if (value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return value.longValue();
    }
}
