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
        // One multiply and two xor-shifts: for a fixed id a bijection of prev and for a fixed prev a
        // bijection of id, so a chain differs from its neighbours; cheap, since every acquisition pays it.
        long h = (Long.rotateLeft(prev, 23) ^ id) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return h == 0 ? 1 : h;
    }
}
