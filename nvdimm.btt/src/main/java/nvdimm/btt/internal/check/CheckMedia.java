package nvdimm.btt.internal.check;

import java.util.HashMap;
import java.util.Map;

import nvdimm.btt.check.CheckOptions;
import nvdimm.bus.Medium;

/**
 * The checker's access to the namespace's bytes. With repair, each repair is written and persisted at once;
 * without, it is kept in an overlay that later checks read through, so the report goes on as if it had been
 * repaired, and the medium is never written.
 */
final class CheckMedia {
    private final Medium medium;
    private final boolean repair;
    private final Map<Long, byte[]> blocks = new HashMap<>();
    private final Map<Long, Integer> ints = new HashMap<>();
    private final Map<Long, byte[]> groups = new HashMap<>();

    CheckMedia(Medium medium, boolean repair) {
        this.medium = medium;
        this.repair = repair;
    }

    Medium medium() {
        return medium;
    }

    boolean repair() {
        return repair;
    }

    long size() {
        return medium.size();
    }

    /** {@code length} bytes at {@code offset}, through the overlay of written blocks. */
    byte[] read(long offset, int length) {
        byte[] overlay = blocks.get(offset);
        if (overlay != null && overlay.length == length) {
            return overlay.clone();
        }
        byte[] b = new byte[length];
        medium.read(offset, b);
        return b;
    }

    /** Writes (with repair) or records (without) a block. */
    void write(long offset, byte[] bytes) {
        if (repair) {
            medium.write(offset, bytes);
            medium.persist(offset, bytes.length);
        } else {
            blocks.put(offset, bytes.clone());
        }
    }

    /** Reads {@code count} little-endian ints from {@code offset} into {@code dst}, through the overlay. */
    void readInts(long offset, int[] dst, int count, byte[] scratch) {
        medium.read(offset, scratch, 0, count * 4);
        for (int i = 0; i < count; i++) {
            int at = i * 4;
            dst[i] = (scratch[at] & 0xff) | (scratch[at + 1] & 0xff) << 8 | (scratch[at + 2] & 0xff) << 16
                    | (scratch[at + 3] & 0xff) << 24;
        }
        if (!ints.isEmpty()) {
            for (int i = 0; i < count; i++) {
                Integer v = ints.get(offset + i * 4L);
                if (v != null) {
                    dst[i] = v;
                }
            }
        }
    }

    int readInt(long offset) {
        Integer v = ints.get(offset);
        return v != null ? v : medium.readInt(offset);
    }

    /** Writes (with repair) or records (without) one map entry, as an atomic 4-byte store. */
    void writeInt(long offset, int value) {
        if (repair) {
            medium.writeInt(offset, value);
            medium.persist(offset, 4);
        } else {
            ints.put(offset, value);
        }
    }

    /** Records a log group rewrite (only ever with repair, which {@link CheckOptions} enforces). */
    void writeGroup(long offset, byte[] group) {
        if (repair) {
            medium.write(offset, group);
            medium.persist(offset, group.length);
        } else {
            groups.put(offset, group.clone());
        }
    }
}
