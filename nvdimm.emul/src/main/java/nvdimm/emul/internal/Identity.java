package nvdimm.emul.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

import nvdimm.bus.spi.DimmDescriptor;

/**
 * The identities DIMMs present: nfit_test's for configured buses, QEMU's for images.
 */
final class Identity {

    /** QEMU's vendor id (Intel), stored as the NFIT stores it. */
    static final int QEMU_VENDOR = 0x8086;
    /** QEMU's serial numbers are this plus the slot ({@code nvdimm_slot_to_sn}). */
    static final int QEMU_SERIAL_BASE = 0x123456;

    /** nfit_test's vendor id, device, revision and manufacturing fields ({@code dcr_common_init}). */
    static final int NFIT_TEST_VENDOR = 0xabcd;
    static final int NFIT_TEST_LOCATION = 0x0a;
    /** 2016 stored big-endian, as nfit_test stores it, read as the little-endian field. */
    static final int NFIT_TEST_DATE = Short.reverseBytes((short) 2016) & 0xffff;

    private Identity() {
    }

    /**
     * What QEMU's NFIT says of the nvdimm in {@code slot}: handle {@code slot + 1}
     * ({@code nvdimm_slot_to_handle}; 0 is the root device), physical id 0, vendor 0x8086, device 1,
     * revision 1, serial {@code 0x123456 + slot}, manufacturing location and date 0 and not marked
     * valid ({@code nvdimm_build_structure_dcr} leaves {@code valid_fields} 0), so a guest's ndctl
     * shows the short id, {@code 8680-56341200} for slot 0.
     */
    static DimmDescriptor qemu(int slot, long pmemSize, long labelSize) {
        return new DimmDescriptor(slot + 1, 0, QEMU_VENDOR, 1, 1, 0, 0, QEMU_SERIAL_BASE + slot, pmemSize, labelSize,
                Set.of(), false);
    }

    /**
     * nfit_test's DIMM device handle layout: node, socket, memory controller, channel, DIMM. DIMM
     * {@code i} of a bus sits in DIMM slot {@code i % 2} of memory controller {@code i / 2 % 16},
     * channel {@code i / 32} (nfit_test's first four DIMMs are handles 0x0, 0x1, 0x100, 0x101).
     */
    static int nfitTestHandle(int index) {
        int dimm = index % 2;
        int imc = index / 2 % 16;
        int channel = index / 32 % 16;
        return imc << 8 | channel << 4 | dimm;
    }

    /**
     * An nfit_test-like DIMM: handle as {@link #nfitTestHandle}, physical id {@code index}, vendor
     * 0xabcd, device 0, revision 1, location 0x0a, date 2016. The serial's low 16 bits are the
     * complement of the handle, as nfit_test's; its high 16 bits come from a CRC-32 of the provider
     * name, so DIMMs of different emulated buses have different serials (and ndctl ids) while a
     * bus keeps its serials, and so its interleave-set cookies, across restarts.
     */
    static DimmDescriptor nfitTest(String provider, int index, long size, long labelSize) {
        int handle = nfitTestHandle(index);
        CRC32 crc = new CRC32();
        crc.update(provider.getBytes(StandardCharsets.UTF_8));
        int serial = (int) (crc.getValue() & 0xffff0000L) | (~handle & 0xffff);
        return new DimmDescriptor(handle, index, NFIT_TEST_VENDOR, 0, 1, NFIT_TEST_LOCATION, NFIT_TEST_DATE, serial,
                size, labelSize, Set.of());
    }
}
