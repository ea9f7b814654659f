package nvdimm.namespace.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * A parsed label area: the current index as Linux chooses it ({@code __nd_label_validate}, both label
 * sizes tried, 128 first), the other one, and the labels of the slots the current index has in use that
 * pass Linux's {@code slot_valid} (the slot field names the slot, dpa and rawsize 4 KiB aligned, v1.2
 * checksum). Invalid slots in use are skipped silently, as Linux skips them.
 *
 * @param geometry the area's geometry, with the {@code nslot} the current index states
 * @param current which index block is current, 0 or 1
 * @param currentIndex the current index block
 * @param otherIndex the other block as decoded (it may be invalid)
 * @param otherValid whether the other block is valid too
 * @param labels the valid labels in use, in slot order
 * @param freeSlots the slots the current index has free, in order
 */
public record LabelArea(LabelGeometry geometry, int current, IndexBlock currentIndex, IndexBlock otherIndex,
        boolean otherValid, List<NamespaceLabel> labels, List<Integer> freeSlots) {

    /** Labels' dpa and rawsize must be multiples of this. */
    public static final long LABEL_ALIGN = 4096;

    public LabelArea {
        Objects.requireNonNull(geometry, "geometry");
        labels = List.copyOf(labels);
        freeSlots = List.copyOf(freeSlots);
    }

    /** The index version. */
    public LabelVersion version() {
        return geometry.version();
    }

    /**
     * Parses a whole label area.
     *
     * @throws NvdimmException EINVAL naming the problem of each index block when neither is valid
     */
    public static LabelArea parse(byte[] area) {
        Objects.requireNonNull(area, "area");
        String[] problems = new String[4];
        int k = 0;
        for (LabelVersion v : LabelVersion.values()) {
            LabelGeometry g;
            try {
                g = LabelGeometry.of(area.length, v);
            } catch (NvdimmException e) {
                problems[k++] = e.detail();
                problems[k++] = null;
                continue;
            }
            String p0 = validate(area, 0, g);
            String p1 = validate(area, 1, g);
            problems[k++] = p0;
            problems[k++] = p1;
            if (p0 == null || p1 == null) {
                return build(area, g, choose(area, g, p0 == null, p1 == null), p0 == null && p1 == null);
            }
        }
        StringBuilder why = new StringBuilder("no valid namespace index in a label area of " + area.length + " bytes");
        String[] names = {"128-byte labels", "256-byte labels"};
        for (int v = 0; v < 2; v++) {
            why.append("; ").append(names[v]).append(": ");
            if (problems[2 * v + 1] == null) {
                why.append(problems[2 * v]);
            } else {
                why.append("index 0 ").append(problems[2 * v]).append(", index 1 ").append(problems[2 * v + 1]);
            }
        }
        throw new NvdimmException(Errno.EINVAL, why.toString());
    }

    /** {@link #parse}, or empty when the area has no valid index (Linux: the DIMM has no labels). */
    public static Optional<LabelArea> tryParse(byte[] area) {
        try {
            return Optional.of(parse(area));
        } catch (NvdimmException e) {
            return Optional.empty();
        }
    }

    /** Why block {@code i} is invalid under {@code g} (§3.3's checks in order), or null when valid. */
    static String validate(byte[] area, int i, LabelGeometry g) {
        int size = g.indexSize();
        int at = i * size;
        if (!IndexBlock.signatureMatches(area, at)) {
            return "has no signature";
        }
        IndexBlock b = IndexBlock.decode(area, at, size);
        if (b.labelSize() != g.labelSize()) {
            return "states " + b.labelSize() + "-byte labels";
        }
        if (!IndexBlock.checksumMatches(area, at, size)) {
            return "checksum mismatch";
        }
        if ((b.seq() & 3) == 0) {
            return "sequence number " + b.seq() + " invalid";
        }
        if (b.myOff() != at) {
            return "myoff " + b.myOff() + " is not " + at;
        }
        if (b.otherOff() != (long) (1 - i) * size) {
            return "otheroff " + b.otherOff() + " is not " + (1 - i) * size;
        }
        if (b.mySize() > size || b.mySize() < IndexBlock.HEADER) {
            return "mysize " + b.mySize() + " out of range";
        }
        if (b.nslot() * g.labelSize() + 2L * size > area.length) {
            return "nslot " + b.nslot() + " does not fit";
        }
        return null;
    }

    /** Linux's choice between two blocks, by sequence number when both are valid. */
    private static int choose(byte[] area, LabelGeometry g, boolean valid0, boolean valid1) {
        if (!valid1) {
            return 0;
        }
        if (!valid0) {
            return 1;
        }
        long a = Bytes.u32(area, 20) & 3;
        long b = Bytes.u32(area, g.indexSize() + 20) & 3;
        long best;
        if (a == 0 || a == b) {
            best = b;
        } else if (b == 0) {
            best = a;
        } else if (IndexBlock.nextSeq(a) == b) {
            best = b;
        } else {
            best = a;
        }
        return best == b ? 1 : 0;
    }

    private static LabelArea build(byte[] area, LabelGeometry g, int current, boolean bothValid) {
        int size = g.indexSize();
        IndexBlock cur = IndexBlock.decode(area, current * size, size);
        IndexBlock other = IndexBlock.decode(area, (1 - current) * size, size);
        LabelGeometry stored = g.withSlots(cur.nslot());
        List<NamespaceLabel> labels = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int s = 0; s < cur.nslot(); s++) {
            if (cur.isFree(s)) {
                free.add(s);
                continue;
            }
            int at = (int) stored.labelOffset(s);
            NamespaceLabel label = NamespaceLabel.decode(area, at, g.version());
            if (slotValid(label, s) && NamespaceLabel.checksumValid(area, at, g.version())) {
                labels.add(label);
            }
        }
        return new LabelArea(stored, current, cur, other, bothValid, labels, free);
    }

    /** Linux's {@code slot_valid} without the checksum: the slot field and the 4 KiB alignment. */
    static boolean slotValid(NamespaceLabel label, long slot) {
        return label.slot() == slot && ((label.dpa() | label.rawSize()) & (LABEL_ALIGN - 1)) == 0;
    }

    /** The valid label in use in {@code slot}, if any. */
    public Optional<NamespaceLabel> label(long slot) {
        return labels.stream().filter(l -> l.slot() == slot).findFirst();
    }
}
