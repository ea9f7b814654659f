package nvdimm.namespace.label;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.Fletcher64;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.UuidBytes;

/**
 * One namespace label ({@code struct nvdimm_efi_label}; v1.1 is its first 128 bytes). Offsets: uuid 0 (text
 * byte order), name 16 (64 bytes, NUL-terminated), flags 80, nlabel 84, position 86, isetcookie 88,
 * lbasize 96, dpa 104, rawsize 112, slot 120, align 124 (v1.2), type_guid 128 and abstraction_guid 144
 * ({@code guid_t} byte order, v1.2), checksum 248 (v1.2, Fletcher64 over the 256 bytes with it zeroed).
 * v1.1 labels have no GUIDs, align or checksum: they decode as the null GUID and 0.
 *
 * @param uuid the namespace uuid
 * @param name the name ({@code alt_name}): up to the first NUL of the 64 bytes, at most 63 bytes of UTF-8
 * @param flags {@link #FLAG_ROLABEL}, {@link #FLAG_LOCAL}, {@link #FLAG_BTT}, {@link #FLAG_UPDATING}
 * @param nlabel labels in the set (the interleave ways)
 * @param position this DIMM's position in the set
 * @param isetCookie the interleave-set cookie
 * @param lbaSize the namespace's logical block size
 * @param dpa where this DIMM's part starts on the DIMM
 * @param rawSize bytes of this DIMM's part
 * @param slot the slot the label occupies (u32)
 * @param align v1.2 alignment byte (Linux writes 0)
 * @param typeGuid v1.2: the address range type (the NFIT SPA range GUID)
 * @param abstractionGuid v1.2: what claims the namespace (null GUID: raw)
 */
public record NamespaceLabel(UUID uuid, String name, int flags, int nlabel, int position, long isetCookie,
        long lbaSize, long dpa, long rawSize, long slot, int align, UUID typeGuid, UUID abstractionGuid) {

    /** Read-only label. */
    public static final int FLAG_ROLABEL = 0x1;
    /** BLK (DIMM-local) label, obsolete. */
    public static final int FLAG_LOCAL = 0x2;
    /** Legacy BTT flag. */
    public static final int FLAG_BTT = 0x4;
    /** Written in the first pass of an update; cleared by the second (UEFI 2.7). */
    public static final int FLAG_UPDATING = 0x8;
    /** Bytes of the name field, its NUL included. */
    public static final int NAME_BYTES = 64;
    /** The null GUID: no abstraction (raw), and the type of a v1.1 label. */
    public static final UUID NULL_GUID = new UUID(0, 0);
    /** The ACPI NFIT SPA range GUID of persistent memory: the {@code type_guid} of pmem labels. */
    public static final UUID PMEM_TYPE_GUID = UUID.fromString("66f0d379-b4f3-4074-ac43-0d3318b78cdb");

    static final int CHECKSUM = 248;

    public NamespaceLabel {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(typeGuid, "typeGuid");
        Objects.requireNonNull(abstractionGuid, "abstractionGuid");
    }

    /** This label in another slot. */
    public NamespaceLabel withSlot(long newSlot) {
        return new NamespaceLabel(uuid, name, flags, nlabel, position, isetCookie, lbaSize, dpa, rawSize, newSlot, align,
                typeGuid, abstractionGuid);
    }

    /** This label with other flags. */
    public NamespaceLabel withFlags(int newFlags) {
        return new NamespaceLabel(uuid, name, newFlags, nlabel, position, isetCookie, lbaSize, dpa, rawSize, slot, align,
                typeGuid, abstractionGuid);
    }

    /**
     * The label's bytes in {@code version}'s layout, with its checksum for v1.2.
     *
     * @throws NvdimmException EINVAL for a name longer than 63 bytes of UTF-8 or with a NUL
     */
    public byte[] encode(LabelVersion version) {
        byte[] b = new byte[version.labelSize()];
        encodeInto(b, 0, version);
        return b;
    }

    /** As {@link #encode}, into {@code dst} at {@code at}. */
    public void encodeInto(byte[] dst, int at, LabelVersion version) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length >= NAME_BYTES || name.indexOf('\0') >= 0) {
            throw new NvdimmException(Errno.EINVAL, "label name '" + name + "': at most " + (NAME_BYTES - 1)
                    + " bytes of UTF-8 without NUL, not " + nameBytes.length);
        }
        java.util.Arrays.fill(dst, at, at + version.labelSize(), (byte) 0);
        UuidBytes.putUuid(dst, at, uuid);
        System.arraycopy(nameBytes, 0, dst, at + 16, nameBytes.length);
        Bytes.put32(dst, at + 80, flags);
        Bytes.put16(dst, at + 84, nlabel);
        Bytes.put16(dst, at + 86, position);
        Bytes.put64(dst, at + 88, isetCookie);
        Bytes.put64(dst, at + 96, lbaSize);
        Bytes.put64(dst, at + 104, dpa);
        Bytes.put64(dst, at + 112, rawSize);
        Bytes.put32(dst, at + 120, slot);
        if (version == LabelVersion.V1_2) {
            dst[at + 124] = (byte) align;
            UuidBytes.putGuid(dst, at + 128, typeGuid);
            UuidBytes.putGuid(dst, at + 144, abstractionGuid);
            Bytes.put64(dst, at + CHECKSUM, Fletcher64.of(dst, at, version.labelSize()));
        }
    }

    /**
     * Decodes the label at {@code at} of {@code src} in {@code version}'s layout, whatever it holds: check
     * it with {@link #checksumValid} and the slot rules before trusting it.
     *
     * @throws NvdimmException EINVAL when the label does not fit in {@code src}
     */
    public static NamespaceLabel decode(byte[] src, int at, LabelVersion version) {
        if (at < 0 || at > src.length - version.labelSize()) {
            throw new NvdimmException(Errno.EINVAL, "label at " + at + ": " + version.labelSize()
                    + " bytes do not fit in " + src.length);
        }
        int end = at + 16;
        while (end < at + 16 + NAME_BYTES - 1 && src[end] != 0) {
            end++;
        }
        String name = new String(src, at + 16, end - at - 16, StandardCharsets.UTF_8);
        boolean v12 = version == LabelVersion.V1_2;
        return new NamespaceLabel(UuidBytes.uuid(src, at), name, (int) Bytes.u32(src, at + 80), Bytes.u16(src, at + 84),
                Bytes.u16(src, at + 86), Bytes.u64(src, at + 88), Bytes.u64(src, at + 96), Bytes.u64(src, at + 104),
                Bytes.u64(src, at + 112), Bytes.u32(src, at + 120), v12 ? src[at + 124] & 0xff : 0,
                v12 ? UuidBytes.guid(src, at + 128) : NULL_GUID, v12 ? UuidBytes.guid(src, at + 144) : NULL_GUID);
    }

    /** Whether the v1.2 label at {@code at} carries a matching checksum; true for v1.1, which has none. */
    public static boolean checksumValid(byte[] src, int at, LabelVersion version) {
        if (version != LabelVersion.V1_2) {
            return true;
        }
        long stored = Bytes.u64(src, at + CHECKSUM);
        byte[] copy = java.util.Arrays.copyOfRange(src, at, at + version.labelSize());
        Bytes.put64(copy, CHECKSUM, 0);
        return Fletcher64.of(copy) == stored;
    }
}
