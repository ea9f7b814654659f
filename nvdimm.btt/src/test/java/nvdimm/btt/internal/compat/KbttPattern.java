package nvdimm.btt.internal.compat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The data {@code kernel-btt.sh} writes and verifies ({@code pattern SEED SS N}): for (seed, lba) the header
 * {@code "KBTT seed=<seed> lba=<lba>\n"}, then from that byte on the stream
 * SHA256("kbtt:seed:lba:0") ‖ SHA256("kbtt:seed:lba:1") ‖ …, the sector's size in all.
 */
final class KbttPattern {
    private KbttPattern() {
    }

    static byte[] sector(int seed, long lba, int sectorSize) {
        byte[] header = ("KBTT seed=" + seed + " lba=" + lba + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] stream = new byte[(sectorSize + 31) / 32 * 32];
        MessageDigest sha = sha256();
        for (int k = 0; k < stream.length / 32; k++) {
            System.arraycopy(sha.digest(("kbtt:" + seed + ":" + lba + ":" + k).getBytes(StandardCharsets.US_ASCII)),
                    0, stream, k * 32, 32);
        }
        byte[] sector = java.util.Arrays.copyOf(stream, sectorSize);
        System.arraycopy(header, 0, sector, 0, Math.min(header.length, sectorSize));
        return sector;
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
