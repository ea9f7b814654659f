package nvdimm.app.internal.kill;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The self-describing content the kill writer puts in a sector: a magic, the LBA, the version, bytes
 * derived from both, and a checksum of everything before it. A sector read back is then one whole
 * version of its own LBA, its initial content (all zeros), or torn; nothing else can pass.
 *
 * <p>Packed into the kill test bundle (it runs in the child runtime) and used by the parent's verifier.
 */
public final class SectorPattern {

    static final long MAGIC = 0x4e564b494c4c3031L; // "NVKILL01"
    static final int HEADER = 24;

    private SectorPattern() {
    }

    /** What a sector read back holds. */
    public record Decoded(Kind kind, long version, String problem) {
        public enum Kind { INITIAL, WHOLE, TORN }

        static Decoded torn(String problem) {
            return new Decoded(Kind.TORN, -1, problem);
        }
    }

    /** Fills {@code sector} (the whole sector, integrity metadata included) with version {@code version} of {@code lba}. */
    public static void fill(byte[] sector, long lba, long version) {
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, MAGIC).putLong(8, lba).putLong(16, version);
        long x = mix(lba * 0x9e3779b97f4a7c15L ^ version);
        for (int i = HEADER; i < sector.length - 8; i++) {
            x = next(x);
            sector[i] = (byte) (x >>> 56);
        }
        b.putLong(sector.length - 8, checksum(sector));
    }

    /** Decodes a sector read back from LBA {@code lba}. */
    public static Decoded decode(byte[] sector, long lba) {
        boolean zero = true;
        for (byte v : sector) {
            if (v != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return new Decoded(Decoded.Kind.INITIAL, 0, null);
        }
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != MAGIC) {
            return Decoded.torn("no magic (" + Long.toHexString(b.getLong(0)) + ")");
        }
        if (b.getLong(8) != lba) {
            return Decoded.torn("holds LBA " + b.getLong(8));
        }
        long version = b.getLong(16);
        if (b.getLong(sector.length - 8) != checksum(sector)) {
            return Decoded.torn("checksum mismatch (version " + version + " in the header)");
        }
        byte[] expected = new byte[sector.length];
        fill(expected, lba, version);
        if (!java.util.Arrays.equals(expected, sector)) {
            return Decoded.torn("body is not version " + version + "'s");
        }
        return new Decoded(Decoded.Kind.WHOLE, version, null);
    }

    /** FNV-1a over the sector without its last 8 bytes. */
    static long checksum(byte[] sector) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < sector.length - 8; i++) {
            h = (h ^ (sector[i] & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31) | 1;
    }

    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }
}
