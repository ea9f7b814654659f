package nvdimm.lockdep.internal;

/**
 * The 64-bit hash of a thread's held-lock sequence, extended one lock at a time (lockdep's
 * {@code iterate_chain_key}). Like lockdep, the validator assumes two different sequences never share a
 * key; ids embed a never-reused class serial, so a released class's old chains cannot match a new class.
 */
final class ChainKeys {
    /** The key of the empty sequence. */
    static final long EMPTY = 0x6a09e667f3bcc909L;

    private ChainKeys() {
    }

    /** The key of the sequence {@code prev} followed by the lock {@code id}; never 0 (0 marks a free slot). */
    static long next(long prev, long id) {
        long h = prev * 0x9E3779B97F4A7C15L + id;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
