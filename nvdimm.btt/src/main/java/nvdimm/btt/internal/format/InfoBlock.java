package nvdimm.btt.internal.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.UuidBytes;

/**
 * A BTT info block ({@code struct btt_sb}), 4096 bytes at the start of each arena and again at its end
 * (info2). All integers are little-endian; unsigned 32-bit fields are held in {@code long}s so no value of a
 * damaged block turns negative. The uuids are {@code uuid_t}: stored in the byte order of their text form.
 * Offsets are relative to the arena's start.
 *
 * <p>{@link #decode} takes any 4096 bytes (it checks nothing: {@link ArenaValidity} says whether Linux would
 * accept them); {@link #toBytes} writes the fields as they are, padding zero; {@link #sealed} computes the
 * checksum.
 *
 * @param uuid the BTT's uuid
 * @param parentUuid the namespace's uuid, or the nil uuid (label-less namespaces)
 * @param flags bit 0 is {@link #FLAG_ERROR}
 * @param versionMajor 1 or 2
 * @param versionMinor 1 or 0
 * @param externalLbaSize the sector size exposed, integrity bytes included
 * @param externalNlba sectors this arena exposes
 * @param internalLbaSize the data block size, external rounded up to 64
 * @param internalNlba data blocks, the spare ones included
 * @param nfree spare blocks, one per log lane (256)
 * @param infoSize 4096
 * @param nextOff the next arena's offset from this one's start; 0 for the last arena
 * @param dataOff where the data blocks start
 * @param mapOff where the map starts
 * @param logOff where the flog starts
 * @param info2Off where the backup info block is
 * @param checksum the stored Fletcher64
 */
public record InfoBlock(UUID uuid, UUID parentUuid, long flags, int versionMajor, int versionMinor,
        long externalLbaSize, long externalNlba, long internalLbaSize, long internalNlba, long nfree, long infoSize,
        long nextOff, long dataOff, long mapOff, long logOff, long info2Off, long checksum) {

    /** Bytes of an info block. */
    public static final int SIZE = 4096;
    /** The signature: {@code "BTT_ARENA_INFO"} and two NULs; all 16 bytes are compared. */
    public static final byte[] SIGNATURE = Arrays.copyOf("BTT_ARENA_INFO".getBytes(StandardCharsets.US_ASCII), 16);
    /** {@code IB_FLAG_ERROR}: the arena's metadata is inconsistent; Linux makes it read-only. */
    public static final long FLAG_ERROR = 0x1;
    /** The nil uuid, the parent of a label-less namespace's BTT. */
    public static final UUID NIL_UUID = new UUID(0, 0);

    static final int UUID_OFFSET = 16;
    static final int PARENT_UUID_OFFSET = 32;
    static final int FLAGS_OFFSET = 48;
    static final int PADDING_OFFSET = 120;
    /** Where the checksum lies. */
    public static final int CHECKSUM_OFFSET = 4088;

    public InfoBlock {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(parentUuid, "parentUuid");
    }

    /**
     * Decodes 4096 bytes, whatever they hold.
     *
     * @throws NvdimmException EINVAL when {@code block} is not 4096 bytes long
     */
    public static InfoBlock decode(byte[] block) {
        if (block.length != SIZE) {
            throw new NvdimmException(Errno.EINVAL, "BTT info block: " + block.length + " bytes instead of " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        return new InfoBlock(UuidBytes.uuid(block, UUID_OFFSET), UuidBytes.uuid(block, PARENT_UUID_OFFSET), u32(b, 48), u16(b, 52),
                u16(b, 54), u32(b, 56), u32(b, 60), u32(b, 64), u32(b, 68), u32(b, 72), u32(b, 76), b.getLong(80),
                b.getLong(88), b.getLong(96), b.getLong(104), b.getLong(112), b.getLong(CHECKSUM_OFFSET));
    }

    /** The 4096 bytes of this block: signature, the fields as they are (the stored checksum too), padding zero. */
    public byte[] toBytes() {
        byte[] block = new byte[SIZE];
        System.arraycopy(SIGNATURE, 0, block, 0, SIGNATURE.length);
        UuidBytes.putUuid(block, UUID_OFFSET, uuid);
        UuidBytes.putUuid(block, PARENT_UUID_OFFSET, parentUuid);
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(48, (int) flags).putShort(52, (short) versionMajor).putShort(54, (short) versionMinor);
        b.putInt(56, (int) externalLbaSize).putInt(60, (int) externalNlba).putInt(64, (int) internalLbaSize);
        b.putInt(68, (int) internalNlba).putInt(72, (int) nfree).putInt(76, (int) infoSize);
        b.putLong(80, nextOff).putLong(88, dataOff).putLong(96, mapOff).putLong(104, logOff).putLong(112, info2Off);
        b.putLong(CHECKSUM_OFFSET, checksum);
        return block;
    }

    /** This block with the checksum its bytes need ({@link BttChecksum}). */
    public InfoBlock sealed() {
        return withChecksum(BttChecksum.of(toBytes()));
    }

    /** This block with another stored checksum. */
    public InfoBlock withChecksum(long sum) {
        return new InfoBlock(uuid, parentUuid, flags, versionMajor, versionMinor, externalLbaSize, externalNlba,
                internalLbaSize, internalNlba, nfree, infoSize, nextOff, dataOff, mapOff, logOff, info2Off, sum);
    }

    /** Whether {@link #FLAG_ERROR} is set: Linux logs it and refuses writes to the arena. */
    public boolean errorFlag() {
        return (flags & FLAG_ERROR) != 0;
    }

    /** Whether the parent uuid is the nil uuid (always accepted). */
    public boolean parentIsNil() {
        return NIL_UUID.equals(parentUuid);
    }

    /** The version fields as text, {@code "1.1"}. */
    public String version() {
        return versionMajor + "." + versionMinor;
    }

    /** Whether all 16 signature bytes of a raw block match. */
    public static boolean hasSignature(byte[] block) {
        return block.length >= SIGNATURE.length
                && Arrays.equals(block, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    /** Whether the padding (bytes 120 to 4087) of a raw block is all zero, as Linux writes it. */
    public static boolean paddingIsZero(byte[] block) {
        for (int i = PADDING_OFFSET; i < CHECKSUM_OFFSET && i < block.length; i++) {
            if (block[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }
}
