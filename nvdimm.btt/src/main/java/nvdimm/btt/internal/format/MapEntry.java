package nvdimm.btt.internal.format;

/**
 * A map entry, a little-endian u32 per pre-map LBA: bits 0-29 the post-map block, bit 30 E (error), bit 31
 * Z (zero). Both flags clear is the initial identity state (the stored block is ignored: post-map = pre-map);
 * both set is a normal mapping, what every write stores. Static and allocation-free: entries stay ints.
 */
public final class MapEntry {

    /** Bit 31, Z ({@code MAP_TRIM_SHIFT}): reads return zeros. */
    public static final int Z_FLAG = 1 << 31;
    /** Bit 30, E ({@code MAP_ERR_SHIFT}): reads fail with EIO. */
    public static final int E_FLAG = 1 << 30;
    /** Both flags: a normal mapping ({@code MAP_ENT_NORMAL}). */
    public static final int NORMAL = Z_FLAG | E_FLAG;
    /** The block bits ({@code MAP_LBA_MASK}). */
    public static final int BLOCK_MASK = ~NORMAL;

    /** The four states the two flags encode ({@code btt_map_read}). */
    public enum State {
        /** Z=0 E=0: never written; the post-map block is the pre-map LBA. */
        IDENTITY,
        /** Z=0 E=1: a read of the block failed; reads give EIO until the LBA is written. */
        ERROR,
        /** Z=1 E=0: reads give zeros (Linux never writes this state). */
        ZERO,
        /** Z=1 E=1: the block bits are the post-map block. */
        NORMAL
    }

    private static final State[] STATES = State.values();

    private MapEntry() {
    }

    /** The state of a raw entry. */
    public static State state(int raw) {
        return STATES[raw >>> 30];
    }

    /** The block bits, flags stripped ({@code ent_lba}). */
    public static int block(int raw) {
        return raw & BLOCK_MASK;
    }

    /** Whether E is set, whatever Z is ({@code ent_e_flag}). */
    public static boolean hasErrorBit(int raw) {
        return (raw & E_FLAG) != 0;
    }

    /** Whether both flags are set ({@code ent_normal}). */
    public static boolean isNormal(int raw) {
        return (raw & NORMAL) == NORMAL;
    }

    /** The post-map block of {@code premap}: the pre-map LBA itself in the identity state, else the block bits. */
    public static long postMap(int raw, long premap) {
        return (raw & NORMAL) == 0 ? premap : block(raw);
    }

    /** The entry a write stores: {@code block} with both flags, a normal mapping. */
    public static int normal(long block) {
        return (int) block & BLOCK_MASK | NORMAL;
    }

    /** The entry a failed read stores: {@code block} with E only. */
    public static int error(long block) {
        return (int) block & BLOCK_MASK | E_FLAG;
    }

    /** An entry with Z only: reads of it return zeros. */
    public static int zero(long block) {
        return (int) block & BLOCK_MASK | Z_FLAG;
    }
}
