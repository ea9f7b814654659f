package nvdimm.namespace.label;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

import nvdimm.bus.Errno;
import nvdimm.bus.Fletcher64;
import nvdimm.bus.NvdimmException;

/**
 * A namespace index block ({@code struct nd_namespace_index}): a 72-byte header, then the free bitmap
 * (bit set = slot free, LSB first), padded to the index size. Offsets: sig 0, flags 16 (3 bytes),
 * labelsize 19, seq 20, myoff 24, mysize 32, otheroff 40, labeloff 48, nslot 56, major 60, minor 62,
 * checksum 64 (Fletcher64 over the whole block with it zeroed), free 72.
 *
 * @param signature the 16 signature bytes as text up to the first NUL ({@code "NAMESPACE_INDEX"})
 * @param flags the 3 flag bytes as a number
 * @param labelSizeCode the labelsize byte: labels are {@code 128 << code} bytes from v1.2 on
 * @param seq the sequence number (u32; 1, 2 or 3 in its low 2 bits when valid)
 * @param myOff this block's offset in the area
 * @param mySize this block's size
 * @param otherOff the other block's offset
 * @param labelOff where the label slots start
 * @param nslot how many label slots (u32)
 * @param major 1
 * @param minor 1 or 2
 * @param checksum the stored checksum
 * @param free the free bitmap, bits of slots 0 .. nslot-1 as far as the block holds them
 */
public record IndexBlock(String signature, int flags, int labelSizeCode, long seq, long myOff, long mySize,
        long otherOff, long labelOff, long nslot, int major, int minor, long checksum, BitSet free) {

    /** The header's size; the free bitmap follows it. */
    public static final int HEADER = 72;
    /** Index blocks are multiples of this. */
    public static final int ALIGN = 256;
    /** {@code "NAMESPACE_INDEX\0"}. */
    public static final String SIGNATURE = "NAMESPACE_INDEX";
    static final byte[] SIGNATURE_BYTES = (SIGNATURE + "\0").getBytes(StandardCharsets.US_ASCII);
    static final int CHECKSUM = 64;

    private static final int[] NEXT_SEQ = {0, 2, 3, 1};

    public IndexBlock {
        Objects.requireNonNull(signature, "signature");
        free = (BitSet) free.clone();
    }

    @Override
    public BitSet free() {
        return (BitSet) free.clone();
    }

    /** Whether slot {@code slot} is free. */
    public boolean isFree(long slot) {
        return slot >= 0 && slot < nslot && slot < Integer.MAX_VALUE && free.get((int) slot);
    }

    /** The label size the header states: {@code 128 << labelsize} from v1.2 on, else 128. */
    public long labelSize() {
        return major * 100L + minor >= 102 ? 128L << Math.min(labelSizeCode, 32) : 128;
    }

    /** The sequence number that follows {@code seq} (1 → 2 → 3 → 1; 0 stays 0), as Linux's {@code nd_inc_seq}. */
    public static int nextSeq(long seq) {
        return NEXT_SEQ[(int) (seq & 3)];
    }

    /**
     * A fresh index for {@code geometry}'s block {@code i}: every slot free.
     *
     * @param seq its sequence number
     */
    public static IndexBlock fresh(LabelGeometry geometry, int i, long seq) {
        BitSet free = new BitSet();
        free.set(0, (int) geometry.nslot());
        return new IndexBlock(SIGNATURE, 0, geometry.labelSize() >> 8, seq, (long) i * geometry.indexSize(),
                geometry.indexSize(), (long) (1 - i) * geometry.indexSize(), 2L * geometry.indexSize(), geometry.nslot(),
                geometry.version().major(), geometry.version().minor(), 0, free);
    }

    /** This index with another sequence number, offsets of block {@code i} and bitmap. */
    public IndexBlock with(int i, long newSeq, long indexSize, BitSet newFree) {
        return new IndexBlock(signature, flags, labelSizeCode, newSeq, i * indexSize, mySize, (1 - i) * indexSize,
                labelOff, nslot, major, minor, checksum, newFree);
    }

    /**
     * The block's {@code size} bytes with its checksum: the header, the bitmap bits of slots below
     * {@code nslot}, zero padding.
     *
     * @throws NvdimmException EINVAL when the size cannot hold the header and the bitmap
     */
    public byte[] encode(int size) {
        if (size < HEADER || (nslot + 7) / 8 > size - HEADER) {
            throw new NvdimmException(Errno.EINVAL, "index block of " + size + " bytes cannot hold " + nslot + " slots");
        }
        byte[] b = new byte[size];
        byte[] sig = (signature + "\0").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(sig, 0, b, 0, Math.min(16, sig.length));
        b[16] = (byte) flags;
        b[17] = (byte) (flags >>> 8);
        b[18] = (byte) (flags >>> 16);
        b[19] = (byte) labelSizeCode;
        Bytes.put32(b, 20, seq);
        Bytes.put64(b, 24, myOff);
        Bytes.put64(b, 32, mySize);
        Bytes.put64(b, 40, otherOff);
        Bytes.put64(b, 48, labelOff);
        Bytes.put32(b, 56, nslot);
        Bytes.put16(b, 60, major);
        Bytes.put16(b, 62, minor);
        for (int s = free.nextSetBit(0); s >= 0 && s < nslot; s = free.nextSetBit(s + 1)) {
            b[HEADER + s / 8] |= (byte) (1 << (s % 8));
        }
        Bytes.put64(b, CHECKSUM, Fletcher64.of(b));
        return b;
    }

    /**
     * Decodes the block at {@code at} of {@code src}, {@code size} bytes, whatever it holds: the bitmap's
     * bits up to {@code nslot} or the end of {@code src}, whichever comes first (Linux reads the bitmap
     * past a short block into what follows it).
     *
     * @throws NvdimmException EINVAL when the header does not fit in {@code src}
     */
    public static IndexBlock decode(byte[] src, int at, int size) {
        if (at < 0 || size < HEADER || at > src.length - HEADER) {
            throw new NvdimmException(Errno.EINVAL, "index block at " + at + ": the " + HEADER
                    + "-byte header does not fit in " + src.length + " bytes");
        }
        int sigEnd = 0;
        while (sigEnd < 16 && src[at + sigEnd] != 0) {
            sigEnd++;
        }
        String sig = new String(src, at, sigEnd, StandardCharsets.ISO_8859_1);
        long nslot = Bytes.u32(src, at + 56);
        BitSet free = new BitSet();
        long bits = Math.min(nslot, (long) (src.length - at - HEADER) * 8);
        for (int s = 0; s < bits; s++) {
            if ((src[at + HEADER + s / 8] >>> (s % 8) & 1) != 0) {
                free.set(s);
            }
        }
        int flags = (src[at + 16] & 0xff) | (src[at + 17] & 0xff) << 8 | (src[at + 18] & 0xff) << 16;
        return new IndexBlock(sig, flags, src[at + 19] & 0xff, Bytes.u32(src, at + 20), Bytes.u64(src, at + 24),
                Bytes.u64(src, at + 32), Bytes.u64(src, at + 40), Bytes.u64(src, at + 48), nslot, Bytes.u16(src, at + 60),
                Bytes.u16(src, at + 62), Bytes.u64(src, at + CHECKSUM), free);
    }

    /** Whether {@code size} bytes at {@code at} carry the signature and a matching checksum. */
    static boolean signatureMatches(byte[] src, int at) {
        return Arrays.equals(src, at, at + 16, SIGNATURE_BYTES, 0, 16);
    }

    static boolean checksumMatches(byte[] src, int at, int size) {
        long stored = Bytes.u64(src, at + CHECKSUM);
        byte[] copy = Arrays.copyOfRange(src, at, at + size);
        Bytes.put64(copy, CHECKSUM, 0);
        return Fletcher64.of(copy) == stored;
    }
}
