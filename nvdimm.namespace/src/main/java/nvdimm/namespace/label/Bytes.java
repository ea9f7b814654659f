package nvdimm.namespace.label;

import java.util.UUID;

/** Little-endian fields and the two uuid byte orders of label areas. */
final class Bytes {

    private Bytes() {
    }

    static long u64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xffL);
        }
        return v;
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static void put64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static void put32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    /** A Linux {@code uuid_t}: the bytes in text order (big-endian). */
    static UUID uuid(byte[] b, int at) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[at + i] & 0xffL);
            lo = lo << 8 | (b[at + 8 + i] & 0xffL);
        }
        return new UUID(hi, lo);
    }

    static void putUuid(byte[] b, int at, UUID u) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[at + 8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
    }

    /** A Linux {@code guid_t}: the first three fields little-endian, the rest in text order. */
    static UUID guid(byte[] b, int at) {
        byte[] t = new byte[16];
        System.arraycopy(b, at, t, 0, 16);
        swapGuidFields(t);
        return uuid(t, 0);
    }

    static void putGuid(byte[] b, int at, UUID g) {
        byte[] t = new byte[16];
        putUuid(t, 0, g);
        swapGuidFields(t);
        System.arraycopy(t, 0, b, at, 16);
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
