package nvdimm.bus.spi;

import java.util.Set;

/**
 * One DIMM as its provider describes it: identity (the fields of an NFIT control region, which
 * also feed the interleave-set cookie), capacity and label area.
 *
 * @param handle the NFIT device handle, unique on the bus (ndctl {@code handle})
 * @param physId the physical id (ndctl {@code phys_id})
 * @param vendorId PCI-style vendor id as the platform stores it (QEMU: {@code 0x8086})
 * @param deviceId device id (QEMU: 1)
 * @param revisionId revision id
 * @param manufacturingLocation manufacturing location byte
 * @param manufacturingDate manufacturing date (two bytes)
 * @param serialNumber serial number (QEMU: {@code 0x123456 + slot})
 * @param size bytes of persistent memory the DIMM contributes
 * @param labelAreaSize bytes of label storage area; 0 for a DIMM without labels
 * @param flags the platform's state flags for the DIMM
 * @param manufacturingInfoValid whether the control region says its manufacturing location and
 *     date are valid (NFIT {@code valid_fields} bit 0); it decides the form of {@link #id()}
 */
public record DimmDescriptor(int handle, int physId, int vendorId, int deviceId, int revisionId,
        int manufacturingLocation, int manufacturingDate, int serialNumber, long size, long labelAreaSize,
        Set<DimmFlag> flags, boolean manufacturingInfoValid) {

    /** A DIMM whose manufacturing location and date are valid (nfit_test's and real NVDIMMs'). */
    public DimmDescriptor(int handle, int physId, int vendorId, int deviceId, int revisionId,
            int manufacturingLocation, int manufacturingDate, int serialNumber, long size, long labelAreaSize,
            Set<DimmFlag> flags) {
        this(handle, physId, vendorId, deviceId, revisionId, manufacturingLocation, manufacturingDate, serialNumber,
                size, labelAreaSize, flags, true);
    }

    public DimmDescriptor {
        if (size <= 0) {
            throw new IllegalArgumentException("DIMM " + handle + ": size must be positive, not " + size);
        }
        if (labelAreaSize < 0) {
            throw new IllegalArgumentException("DIMM " + handle + ": label area size must not be negative");
        }
        requireBits("vendorId", vendorId, 16);
        requireBits("deviceId", deviceId, 16);
        requireBits("revisionId", revisionId, 16);
        requireBits("manufacturingLocation", manufacturingLocation, 8);
        requireBits("manufacturingDate", manufacturingDate, 16);
        flags = Set.copyOf(flags);
    }

    private static void requireBits(String field, int value, int bits) {
        if (value < 0 || value >= 1 << bits) {
            throw new IllegalArgumentException(field + " must fit in " + bits + " bits, not " + value);
        }
    }

    /**
     * The DIMM id ndctl prints, as Linux formats it from the NFIT (each multi-byte field byte-swapped
     * from its little-endian storage): vendor, location, date and serial when the manufacturing
     * fields are valid ({@code "cdab-0a-e007-fefe0000"}), otherwise vendor and serial only
     * ({@code "8680-56341200"} for QEMU's slot 0, whose NFIT leaves them invalid).
     */
    public String id() {
        int vendor = Short.reverseBytes((short) vendorId) & 0xffff;
        int serial = Integer.reverseBytes(serialNumber);
        if (!manufacturingInfoValid) {
            return String.format("%04x-%08x", vendor, serial);
        }
        return String.format("%04x-%02x-%04x-%08x", vendor, manufacturingLocation,
                Short.reverseBytes((short) manufacturingDate) & 0xffff, serial);
    }
}
