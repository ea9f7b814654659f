package nvdimm.lockdep.internal;

import java.util.Arrays;

/**
 * The locks one thread holds under one validator, outermost first (lockdep's {@code held_locks}).
 * Entries live in preallocated parallel arrays, so pushing and popping allocate nothing once the stack
 * has reached its deepest size. Only the owning thread touches it.
 */
final class HeldStack {
    private static final int INITIAL_DEPTH = 16;

    final Thread thread = Thread.currentThread();
    /** The validator's epoch when this stack was last valid; see {@link Validator#held()}. */
    int epoch;
    int depth;
    /** The instances held: a mutex, a read/write lock (both sides), a shadow lock, a wait point. */
    Object[] locks = new Object[INITIAL_DEPTH];
    ChainRecord[] chains = new ChainRecord[INITIAL_DEPTH];
    /** The chain key of the sequence up to and including each entry. */
    long[] keys = new long[INITIAL_DEPTH];
    /** {@code keys[depth - 1]}, or the empty key. */
    private long top = ChainKeys.EMPTY;

    HeldStack(int epoch) {
        this.epoch = epoch;
    }

    /** The chain key of the whole stack; a field, read on every acquisition before it can block. */
    long topKey() {
        return top;
    }

    /** Pushes a lock validated by {@code chain}, whose key was computed on top of the current stack. */
    void push(Object lock, ChainRecord chain) {
        int d = depth;
        if (d == locks.length) {
            grow();
        }
        locks[d] = lock;
        chains[d] = chain;
        long key = chain.key;
        keys[d] = key;
        top = key;
        depth = d + 1;
    }

    /** Pushes an entry saved earlier, recomputing its key for the current stack. */
    void repush(Object lock, ChainRecord chain) {
        long key = ChainKeys.next(topKey(), chain.id);
        push(lock, chain);
        keys[depth - 1] = key;
        top = key;
    }

    /**
     * Removes the innermost entry of {@code lock} held in the given mode. Out-of-order releases are
     * allowed: the entries above are moved down and their keys recomputed.
     *
     * @return false if there is no such entry
     */
    boolean pop(Object lock, boolean shared) {
        int d = depth - 1;
        if (d >= 0 && locks[d] == lock && chains[d].shared() == shared) {
            drop(d);
            return true;
        }
        for (int i = d - 1; i >= 0; i--) {
            if (locks[i] == lock && chains[i].shared() == shared) {
                remove(i);
                return true;
            }
        }
        return false;
    }

    /** {@link #pop} for a lock held only exclusively (a mutex): the common top-of-stack case is shortest. */
    boolean popExclusive(Object lock) {
        return popTop(lock) || pop(lock, false);
    }

    /** Removes the top entry if it is {@code lock}'s, of a lock held only exclusively (a mutex). */
    boolean popTop(Object lock) {
        int d = depth - 1;
        if (d >= 0 && locks[d] == lock) {
            drop(d);
            return true;
        }
        return false;
    }

    /** Removes every exclusive entry of {@code lock} (a condition wait releases all holds) and returns them. */
    ChainRecord[] removeAll(Object lock) {
        int n = 0;
        for (int i = 0; i < depth; i++) {
            if (locks[i] == lock && !chains[i].shared()) {
                n++;
            }
        }
        ChainRecord[] removed = new ChainRecord[n];
        int k = 0;
        for (int i = 0; i < depth; i++) {
            if (locks[i] == lock && !chains[i].shared()) {
                removed[k++] = chains[i];
                remove(i--);
            }
        }
        return removed;
    }

    /** A copy of the entries, to undo a change that must not stick (a condition wait that throws). */
    record Snapshot(Object[] locks, ChainRecord[] chains, long[] keys, int depth) {
    }

    Snapshot snapshot() {
        return new Snapshot(locks.clone(), chains.clone(), keys.clone(), depth);
    }

    void restore(Snapshot s) {
        locks = s.locks();
        chains = s.chains();
        keys = s.keys();
        depth = s.depth();
        top = depth == 0 ? ChainKeys.EMPTY : keys[depth - 1];
    }

    /**
     * How many held entries belong to atomic classes: "may this thread sleep?". Counted when asked (on
     * the slow path only) rather than kept up to date on every push and pop.
     */
    int atomic() {
        int n = 0;
        for (int i = 0; i < depth; i++) {
            if (chains[i].atomic) {
                n++;
            }
        }
        return n;
    }

    /** Whether an entry's class was not registered when it was taken. */
    boolean holdsUnregistered() {
        for (int i = 0; i < depth; i++) {
            if (chains[i].top == null) {
                return true;
            }
        }
        return false;
    }

    int indexOf(Object lock) {
        for (int i = depth - 1; i >= 0; i--) {
            if (locks[i] == lock) {
                return i;
            }
        }
        return -1;
    }

    /** Forgets every entry, e.g. after the validator was off for a while. */
    void reset(int newEpoch) {
        Arrays.fill(locks, 0, depth, null);
        Arrays.fill(chains, 0, depth, null);
        depth = 0;
        top = ChainKeys.EMPTY;
        epoch = newEpoch;
    }

    private void drop(int d) {
        locks[d] = null;
        chains[d] = null;
        top = d == 0 ? ChainKeys.EMPTY : keys[d - 1];
        depth = d;
    }

    private void remove(int i) {
        int last = depth - 1;
        System.arraycopy(locks, i + 1, locks, i, last - i);
        System.arraycopy(chains, i + 1, chains, i, last - i);
        locks[last] = null;
        chains[last] = null;
        depth = last;
        for (int j = i; j < depth; j++) {
            keys[j] = ChainKeys.next(j == 0 ? ChainKeys.EMPTY : keys[j - 1], chains[j].id);
        }
        top = depth == 0 ? ChainKeys.EMPTY : keys[depth - 1];
    }

    private void grow() {
        int n = locks.length * 2;
        locks = Arrays.copyOf(locks, n);
        chains = Arrays.copyOf(chains, n);
        keys = Arrays.copyOf(keys, n);
    }
}
