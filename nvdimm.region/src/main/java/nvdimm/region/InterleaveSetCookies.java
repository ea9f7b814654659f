package nvdimm.region;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import nvdimm.bus.Errno;
import nvdimm.bus.Fletcher64;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;

/**
 * The interleave-set cookies of a region, as the ACPI NFIT driver computes them
 * ({@code acpi_nfit_init_interleave_set}); namespace labels carry one of them ({@code isetcookie}) so
 * that a label is only trusted on the interleave set it was written for.
 *
 * <p>For each mapping a record is built from the DIMM's identity:
 * <ul>
 * <li>v1.1, 16 bytes: {@code region_offset} (u64), {@code serial_number} (u32), 4 bytes of zero;</li>
 * <li>v1.2, 48 bytes: {@code region_offset} (u64), {@code serial_number} (u32), {@code vendor_id}
 * (u16), {@code manufacturing_date} (u16), {@code manufacturing_location} (u8), 31 bytes of zero.</li>
 * </ul>
 * All fields little-endian. {@link #cookie1()} is the {@linkplain #fletcher64 Fletcher64} of the v1.1
 * records sorted by {@code region_offset} (unsigned), {@link #cookie2()} the same over the v1.2 records,
 * and {@link #altCookie()} the v1.1 cookie with the records sorted by the old comparator, a
 * {@code memcmp} of the little-endian offset bytes (for v1.1 labels written with the wrong order).
 * Records with equal offsets keep the order they were given in. A DIMM's label position is its index
 * after the v1.2 sort ({@link #position}).
 *
 * <p>QEMU gives each nvdimm its own one-DIMM region with {@code region_offset} 0, vendor 0x8086 and
 * serial {@code 0x123456 + slot}: slot 0 has cookie1 {@code 0x002468AC00123456} and cookie2
 * {@code 0x00BA90120012B4DC}.
 *
 * @param cookie1 the v1.1 cookie
 * @param cookie2 the v1.2 cookie
 * @param altCookie the v1.1 cookie in the old sort order (equal to cookie1 for one DIMM)
 * @param labelOrder the DIMM handles in v1.2 sort order: a DIMM's index here is its label position
 */
public record InterleaveSetCookies(long cookie1, long cookie2, long altCookie, List<Integer> labelOrder) {

    /** Bytes of a v1.1 record. */
    public static final int V11_RECORD = 16;
    /** Bytes of a v1.2 record. */
    public static final int V12_RECORD = 48;

    public InterleaveSetCookies {
        labelOrder = List.copyOf(labelOrder);
    }

    /**
     * Computes the cookies of an interleave set.
     *
     * @param mappings the region's mappings, in any order (ties in {@code regionOffset} keep this order)
     * @param dimms the bus's DIMMs; each mapped handle must be among them
     * @throws NvdimmException EINVAL when there is no mapping (a region without DIMMs has no interleave
     *     set) or a mapping names a DIMM handle that is not in {@code dimms}
     */
    public static InterleaveSetCookies compute(List<Mapping> mappings, List<DimmDescriptor> dimms) {
        Objects.requireNonNull(mappings, "mappings");
        Objects.requireNonNull(dimms, "dimms");
        if (mappings.isEmpty()) {
            throw new NvdimmException(Errno.EINVAL, "interleave set: no mappings, so no cookie");
        }
        Map<Integer, DimmDescriptor> byHandle = new HashMap<>();
        for (DimmDescriptor d : dimms) {
            byHandle.put(d.handle(), d);
        }
        List<Member> members = new ArrayList<>();
        for (Mapping m : mappings) {
            DimmDescriptor d = byHandle.get(m.dimmHandle());
            if (d == null) {
                throw new NvdimmException(Errno.EINVAL, "interleave set: mapping at position " + m.position()
                        + " names DIMM handle 0x" + Integer.toHexString(m.dimmHandle()) + ", which is not on the bus");
            }
            members.add(new Member(m, d));
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Member::offset, Long::compareUnsigned));
        long cookie1 = fletcher64(records(sorted, false));
        long cookie2 = fletcher64(records(sorted, true));
        List<Member> compat = new ArrayList<>(members);
        // memcmp of little-endian bytes = unsigned order of the byte-reversed values
        compat.sort(Comparator.comparing(m -> Long.reverseBytes(m.offset()), Long::compareUnsigned));
        long alt = fletcher64(records(compat, false));
        return new InterleaveSetCookies(cookie1, cookie2, alt,
                sorted.stream().map(m -> m.dimm().handle()).toList());
    }

    /**
     * The cookie a label of the given label-index version must carry, as Linux's
     * {@code nd_region_interleave_set_cookie}: {@link #cookie1()} for v1.1, {@link #cookie2()} otherwise.
     */
    public long forLabelVersion(int major, int minor) {
        return major == 1 && minor == 1 ? cookie1 : cookie2;
    }

    /**
     * The label position of a DIMM: its index in {@link #labelOrder()}.
     *
     * @throws NvdimmException EINVAL for a handle not in the set
     */
    public int position(int dimmHandle) {
        int i = labelOrder.indexOf(dimmHandle);
        if (i < 0) {
            throw new NvdimmException(Errno.EINVAL, "interleave set: DIMM handle 0x" + Integer.toHexString(dimmHandle)
                    + " is not in the set");
        }
        return i;
    }

    /** The v1.1 record of one DIMM (16 bytes). */
    public static byte[] v11Record(long regionOffset, DimmDescriptor dimm) {
        byte[] b = new byte[V11_RECORD];
        putLong(b, 0, regionOffset);
        putInt(b, 8, dimm.serialNumber());
        return b;
    }

    /** The v1.2 record of one DIMM (48 bytes). */
    public static byte[] v12Record(long regionOffset, DimmDescriptor dimm) {
        byte[] b = new byte[V12_RECORD];
        putLong(b, 0, regionOffset);
        putInt(b, 8, dimm.serialNumber());
        b[12] = (byte) dimm.vendorId();
        b[13] = (byte) (dimm.vendorId() >>> 8);
        b[14] = (byte) dimm.manufacturingDate();
        b[15] = (byte) (dimm.manufacturingDate() >>> 8);
        b[16] = (byte) dimm.manufacturingLocation();
        return b;
    }

    /**
     * libnvdimm's Fletcher64 ({@link Fletcher64#of(byte[])}).
     */
    public static long fletcher64(byte[] data) {
        return Fletcher64.of(data);
    }

    private static byte[] records(List<Member> members, boolean v12) {
        int size = v12 ? V12_RECORD : V11_RECORD;
        byte[] all = new byte[members.size() * size];
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            byte[] r = v12 ? v12Record(m.offset(), m.dimm()) : v11Record(m.offset(), m.dimm());
            System.arraycopy(r, 0, all, i * size, size);
        }
        return all;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private record Member(Mapping mapping, DimmDescriptor dimm) {
        long offset() {
            return mapping.regionOffset();
        }
    }

    @Override
    public String toString() {
        return String.format("InterleaveSetCookies[cookie1=%#018x, cookie2=%#018x, altCookie=%#018x, labelOrder=%s]",
                cookie1, cookie2, altCookie, labelOrder);
    }
}
