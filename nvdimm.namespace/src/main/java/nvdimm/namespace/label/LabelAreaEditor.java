package nvdimm.namespace.label;

import java.util.BitSet;
import java.util.Objects;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * Linux's label update engine for one label area (label.c {@code __pmem_label_update}, {@code del_labels},
 * {@code init_labels}): an in-memory copy of the area with a current and a next index, and a
 * {@link Writer} that puts bytes on the media. Nothing is ever written in place: a label goes into a slot
 * the current index has free, then the next index (a copy of the current one with the new slot in use,
 * the replaced slots free and sequence number {@code next(current)}) is written over the older block, and
 * only then is it current. A failure or a crash between any two writes leaves the area as before or as
 * after the step, because the older index block is the only thing overwritten and a torn one fails its
 * checksum.
 *
 * <p>Not thread-safe: callers serialise (the bus's reconfiguration lock).
 */
public final class LabelAreaEditor {

    /** Puts bytes on the label area's media; each call must be durable when it returns. */
    @FunctionalInterface
    public interface Writer {
        void write(long offset, byte[] src, int srcOffset, int length);
    }

    private final byte[] area;
    private final Writer writer;
    private LabelGeometry geometry;
    private int current;
    private IndexBlock currentIndex;
    private LabelArea parsed;

    private LabelAreaEditor(byte[] area, Writer writer) {
        this.area = area;
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * An editor of an area with a valid index; {@code area} is copied.
     *
     * @throws NvdimmException EINVAL when the area has no valid index
     */
    public static LabelAreaEditor open(byte[] area, Writer writer) {
        LabelAreaEditor e = new LabelAreaEditor(area.clone(), writer);
        e.reload(LabelArea.parse(e.area));
        return e;
    }

    /**
     * Initialises an area as {@code ndctl init-labels} and the kernel's {@code init_labels} do: index 0
     * with sequence number 3, index 1 with 2, every slot free, laid out by the current formula; only the
     * two index blocks are written (the label slots on the media keep what they held).
     *
     * @throws NvdimmException EINVAL for an area too small for the version
     */
    public static LabelAreaEditor initialize(long areaSize, LabelVersion version, Writer writer) {
        LabelGeometry g = LabelGeometry.of(areaSize, version);
        if (areaSize > Integer.MAX_VALUE) {
            throw new NvdimmException(Errno.EINVAL, "a label area of " + areaSize + " bytes is too large");
        }
        LabelAreaEditor e = new LabelAreaEditor(new byte[(int) areaSize], writer);
        for (int i = 0; i < 2; i++) {
            byte[] block = IndexBlock.fresh(g, i, 3 - i).encode(g.indexSize());
            e.put((long) i * g.indexSize(), block);
        }
        e.reload(LabelArea.parse(e.area));
        return e;
    }

    /** The area as it is now on the media. */
    public LabelArea area() {
        return parsed;
    }

    /** A copy of the in-memory area. */
    public byte[] bytes() {
        return area.clone();
    }

    /** The label version of the current index. */
    public LabelVersion version() {
        return geometry.version();
    }

    /** Free slots in the current index. */
    public int freeSlots() {
        return parsed.freeSlots().size();
    }

    /** Whether a valid label of {@code uuid} is in use. */
    public boolean has(UUID uuid) {
        return parsed.labels().stream().anyMatch(l -> l.uuid().equals(uuid));
    }

    /**
     * Refuses, before anything is written, an update of {@code uuid} that would not leave a slot free
     * (Linux keeps one for updates): a new uuid needs two free slots (one for each pass), an existing
     * one needs one.
     *
     * @param name the DIMM's name for the message
     * @throws NvdimmException ENOSPC
     */
    public void requireSpaceFor(UUID uuid, String name) {
        int need = has(uuid) ? 1 : 2;
        if (freeSlots() < need) {
            throw new NvdimmException(Errno.ENOSPC, name + ": " + freeSlots() + " free label slot"
                    + (freeSlots() == 1 ? "" : "s") + ", " + need + " needed to write namespace " + uuid);
        }
    }

    /**
     * Creates or updates {@code label}'s uuid in Linux's two passes: the label with {@link
     * NamespaceLabel#FLAG_UPDATING}, then without it.
     *
     * @throws NvdimmException ENOSPC (nothing written) as {@link #requireSpaceFor}; the writer's errors
     */
    public void write(NamespaceLabel label, String name) {
        requireSpaceFor(label.uuid(), name);
        update(label.withFlags(label.flags() | NamespaceLabel.FLAG_UPDATING));
        update(label.withFlags(label.flags() & ~NamespaceLabel.FLAG_UPDATING));
    }

    /**
     * One pass of an update: writes {@code label} (its slot field set) into the lowest free slot, then the
     * next index with that slot in use and every other slot holding a valid label of the same uuid free,
     * then makes it current.
     *
     * @throws NvdimmException ENOSPC when no slot is free (nothing written); the writer's errors
     */
    public void update(NamespaceLabel label) {
        BitSet free = currentIndex.free();
        free.clear((int) Math.min(geometry.nslot(), Integer.MAX_VALUE), Integer.MAX_VALUE);
        int slot = free.nextSetBit(0);
        if (slot < 0) {
            throw new NvdimmException(Errno.ENOSPC, "label area: no free label slot for namespace " + label.uuid());
        }
        byte[] bytes = label.withSlot(slot).encode(geometry.version());
        put(geometry.labelOffset(slot), bytes);
        free.clear(slot);
        for (NamespaceLabel old : parsed.labels()) {
            if (old.uuid().equals(label.uuid()) && old.slot() != slot) {
                free.set((int) old.slot());
            }
        }
        writeNext(free);
    }

    /**
     * Frees every valid label of {@code uuid} and writes the next index; does nothing when there is none.
     *
     * @return whether labels were freed
     */
    public boolean delete(UUID uuid) {
        BitSet free = currentIndex.free();
        boolean any = false;
        for (NamespaceLabel old : parsed.labels()) {
            if (old.uuid().equals(uuid)) {
                free.set((int) old.slot());
                any = true;
            }
        }
        if (any) {
            writeNext(free);
        }
        return any;
    }

    private void writeNext(BitSet free) {
        int next = 1 - current;
        IndexBlock index = currentIndex.with(next, IndexBlock.nextSeq(currentIndex.seq()), geometry.indexSize(), free);
        put((long) next * geometry.indexSize(), index.encode(geometry.indexSize()));
        reload(LabelArea.parse(area));
    }

    private void put(long offset, byte[] bytes) {
        writer.write(offset, bytes, 0, bytes.length);
        System.arraycopy(bytes, 0, area, (int) offset, bytes.length);
    }

    private void reload(LabelArea a) {
        parsed = a;
        geometry = a.geometry();
        current = a.current();
        currentIndex = a.currentIndex();
    }
}
