package nvdimm.namespace.label;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Label areas built from nvdimm-formats.md §3's field values by a test-local writer, independent of the
 * code under test, and the Linux-made label areas in the test resources.
 */
public final class LabelFixtures {

    /** QEMU slot 0's cookies (§3.7). */
    public static final long QEMU0_COOKIE1 = 0x002468AC00123456L;
    public static final long QEMU0_COOKIE2 = 0x00BA90120012B4DCL;

    private LabelFixtures() {
    }

    public static long fletcher64(byte[] buf, int off, int len) {
        long lo = 0;
        long hi = 0;
        ByteBuffer b = ByteBuffer.wrap(buf, off, len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            lo = (lo + Integer.toUnsignedLong(b.getInt())) & 0xffffffffL;
            hi = (hi + lo) & 0xffffffffL;
        }
        return hi << 32 | lo;
    }

    public static int nslot(int areaSize, int labelSize) {
        int first = roundUp(72 + (areaSize / labelSize + 7) / 8, 256);
        return (areaSize - 2 * first) / labelSize;
    }

    public static int indexSize(int areaSize, int labelSize) {
        return roundUp(72 + (nslot(areaSize, labelSize) + 7) / 8, 256);
    }

    private static int roundUp(int v, int unit) {
        return (v + unit - 1) / unit * unit;
    }

    /** An area as init-labels leaves it: index 0 seq 3, index 1 seq 2, every slot free. */
    public static byte[] fresh(int areaSize, int labelSize) {
        byte[] area = new byte[areaSize];
        writeIndex(area, 0, areaSize, labelSize, 3, nslot(areaSize, labelSize));
        writeIndex(area, 1, areaSize, labelSize, 2, nslot(areaSize, labelSize));
        return area;
    }

    /** Writes index block {@code i} (every slot free) with a correct checksum. */
    public static void writeIndex(byte[] area, int i, int areaSize, int labelSize, int seq, int nslot) {
        int size = indexSize(areaSize, labelSize);
        ByteBuffer b = ByteBuffer.wrap(area, i * size, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < size; k++) {
            b.put(k, (byte) 0);
        }
        b.put(0, "NAMESPACE_INDEX\0".getBytes(StandardCharsets.US_ASCII));
        b.put(19, (byte) (labelSize >> 8));
        b.putInt(20, seq);
        b.putLong(24, (long) i * size);
        b.putLong(32, size);
        b.putLong(40, (long) (1 - i) * size);
        b.putLong(48, 2L * size);
        b.putInt(56, nslot);
        b.putShort(60, (short) 1);
        b.putShort(62, (short) (labelSize == 128 ? 1 : 2));
        for (int s = 0; s < nslot; s++) {
            b.put(72 + s / 8, (byte) (b.get(72 + s / 8) | 1 << (s % 8)));
        }
        reseal(area, i, size);
    }

    /** Marks slot {@code s} in use in index {@code i} and reseals it. */
    public static void markUsed(byte[] area, int i, int areaSize, int labelSize, int s) {
        int size = indexSize(areaSize, labelSize);
        area[i * size + 72 + s / 8] &= (byte) ~(1 << (s % 8));
        reseal(area, i, size);
    }

    public static void reseal(byte[] area, int i, int size) {
        ByteBuffer b = ByteBuffer.wrap(area, i * size, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(64, 0);
        b.putLong(64, fletcher64(area, i * size, size));
    }

    /** Writes a label into slot {@code s} (v1.2 with GUIDs and checksum when labelSize is 256). */
    public static void writeLabel(byte[] area, int areaSize, int labelSize, int s, UUID uuid, String name, int flags,
            int nlabel, int position, long cookie, long lbasize, long dpa, long rawsize, byte[] typeGuidBytes,
            byte[] abstractionGuidBytes) {
        int at = 2 * indexSize(areaSize, labelSize) + s * labelSize;
        ByteBuffer b = ByteBuffer.wrap(area, at, labelSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < labelSize; k++) {
            b.put(k, (byte) 0);
        }
        ByteBuffer.wrap(area, at, 16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        b.put(16, name.getBytes(StandardCharsets.UTF_8));
        b.putInt(80, flags);
        b.putShort(84, (short) nlabel);
        b.putShort(86, (short) position);
        b.putLong(88, cookie);
        b.putLong(96, lbasize);
        b.putLong(104, dpa);
        b.putLong(112, rawsize);
        b.putInt(120, s);
        if (labelSize == 256) {
            b.put(128, typeGuidBytes);
            b.put(144, abstractionGuidBytes);
            b.putLong(248, 0);
            b.putLong(248, fletcher64(area, at, 256));
        }
    }

    /** The PMEM SPA GUID as stored (§3.4). */
    public static byte[] pmemTypeBytes() {
        return hex("79 d3 f0 66 f3 b4 74 40 ac 43 0d 33 18 b7 8c db");
    }

    /** The BTT abstraction GUID as stored (§3.4). */
    public static byte[] bttBytes() {
        return hex("a2 63 ed 8a a2 29 66 4c 8b 12 f0 5d 15 d3 92 2a");
    }

    public static byte[] hex(String s) {
        String[] parts = s.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /** A resource of this package, whole. */
    public static byte[] resource(String name) {
        try (InputStream in = LabelFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 128 KiB label area of the Linux-made v1.1 image (kernel-btt-labeled-v1.1-512). */
    public static byte[] linuxV11() {
        return resource("kernel-btt-labeled-v1.1-512.labels.bin");
    }

    /** The 128 KiB label area of the Linux-made v1.2 image (kernel-btt-labeled-v1.2-4096). */
    public static byte[] linuxV12() {
        return resource("kernel-btt-labeled-v1.2-4096.labels.bin");
    }

    /** The value of the first {@code "key": value} after {@code after} in a resource's text. */
    public static String jsonValue(String resource, String after, String key) {
        String text = new String(resource(resource), StandardCharsets.UTF_8);
        int from = text.indexOf(after);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":\\s*(\"[^\"]*\"|[0-9a-z]+)")
                .matcher(text);
        if (from < 0 || !m.find(from)) {
            throw new IllegalStateException(resource + " has no " + key + " after " + after);
        }
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
