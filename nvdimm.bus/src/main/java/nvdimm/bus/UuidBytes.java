package nvdimm.bus;

import java.util.UUID;

/**
 * The two ways Linux stores a 16-byte uuid on media: {@code uuid_t} (namespace label and BTT uuids), the bytes
 * in the order of the text form, and {@code guid_t} (label type and abstraction GUIDs), the first three fields
 * little-endian and the rest in text order.
 */
public final class UuidBytes {

    private UuidBytes() {
    }

    /**
     * The {@code uuid_t} at {@code src[at .. at + 16)}: the bytes read in text order (also how {@code uuid_unparse}
     * prints any 16 stored bytes, a {@code guid_t} included).
     */
    public static UUID uuid(byte[] src, int at) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (src[at + i] & 0xffL);
            lo = lo << 8 | (src[at + 8 + i] & 0xffL);
        }
        return new UUID(hi, lo);
    }

    /** Stores {@code uuid} as a {@code uuid_t} at {@code dst[at .. at + 16)}. */
    public static void putUuid(byte[] dst, int at, UUID uuid) {
        for (int i = 0; i < 8; i++) {
            dst[at + i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
            dst[at + 8 + i] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
        }
    }

    /** The {@code guid_t} at {@code src[at .. at + 16)}, as its text form reads. */
    public static UUID guid(byte[] src, int at) {
        byte[] t = new byte[16];
        System.arraycopy(src, at, t, 0, 16);
        swapGuidFields(t);
        return uuid(t, 0);
    }

    /** Stores {@code guid} as a {@code guid_t} at {@code dst[at .. at + 16)}. */
    public static void putGuid(byte[] dst, int at, UUID guid) {
        byte[] t = new byte[16];
        putUuid(t, 0, guid);
        swapGuidFields(t);
        System.arraycopy(t, 0, dst, at, 16);
    }

    private static void swapGuidFields(byte[] t) {
        reverse(t, 0, 4);
        reverse(t, 4, 2);
        reverse(t, 6, 2);
    }

    private static void reverse(byte[] t, int at, int len) {
        for (int i = 0; i < len / 2; i++) {
            byte x = t[at + i];
            t[at + i] = t[at + len - 1 - i];
            t[at + len - 1 - i] = x;
        }
    }
}
