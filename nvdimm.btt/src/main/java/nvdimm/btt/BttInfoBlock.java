package nvdimm.btt;

import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.namespace.Namespace;

/**
 * A BTT info block's fields as {@code ndctl read-infoblock} prints them, with where it was found.
 *
 * @param offset where in the namespace the block lies: 4096 (BTT v1.1) or 0 (v2.0)
 * @param signature {@code BTT_ARENA_INFO}
 * @param version {@code "major.minor"}
 * @param raw the 4096 bytes of the block
 * @since 0.2
 */
public record BttInfoBlock(long offset, String signature, UUID uuid, UUID parentUuid, long flags, String version,
        long externalLbasize, long externalNlba, long internalLbasize, long internalNlba, long nfree, long infosize,
        long nextoff, long dataoff, long mapoff, long logoff, long info2off, byte[] raw) {

    /** The bytes ndctl reads ({@code INFOBLOCK_SZ}): the first 8 KiB, where either version's block lies. */
    public static final int READ_SIZE = 8192;

    /**
     * The first BTT info block of a namespace, as ndctl's {@code read-infoblock} looks for it: a block with the BTT
     * signature at 4 KiB (v1.1) or else at 0 (v2.0). Reads through the namespace (EIO on a bad block).
     *
     * @return empty when neither place holds the signature
     * @throws nvdimm.bus.NvdimmException the namespace's errno when reading fails
     */
    public static Optional<BttInfoBlock> read(Namespace ns) {
        int len = (int) Math.min(READ_SIZE, ns.size());
        byte[] buf = new byte[READ_SIZE];
        ns.read(0, java.lang.foreign.MemorySegment.ofArray(buf), 0, len);
        for (int at : new int[] {InfoBlock.SIZE, 0}) {
            byte[] block = java.util.Arrays.copyOfRange(buf, at, at + InfoBlock.SIZE);
            if (InfoBlock.hasSignature(block)) {
                InfoBlock i = InfoBlock.decode(block);
                return Optional.of(new BttInfoBlock(at, "BTT_ARENA_INFO", i.uuid(), i.parentUuid(), i.flags(),
                        i.version(), i.externalLbaSize(), i.externalNlba(), i.internalLbaSize(), i.internalNlba(),
                        i.nfree(), i.infoSize(), i.nextOff(), i.dataOff(), i.mapOff(), i.logOff(), i.info2Off(), block));
            }
        }
        return Optional.empty();
    }
}
