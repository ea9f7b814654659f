package nvdimm.lockdep.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The validated chains: an open-addressing hash table from chain key to {@link ChainRecord}. Lookups are
 * lock-free and allocation-free, which is what makes a repeated lock sequence cheap. Inserts, purges and
 * resizes happen only under the validator's graph lock, so there is a single writer: it stores the
 * record, then publishes the key with release semantics; a reader that sees the key (acquire) sees the
 * record. A resize or purge builds a new table and publishes it through a volatile field; readers still
 * on the old one see a consistent, merely older, table.
 */
final class ChainCache {
    private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL_CAPACITY = 1024;

    private static final class Table {
        final long[] keys;
        final ChainRecord[] records;
        final int mask;
        int size;

        Table(int capacity) {
            keys = new long[capacity];
            records = new ChainRecord[capacity];
            mask = capacity - 1;
        }
    }

    private volatile Table table = new Table(INITIAL_CAPACITY);

    ChainRecord find(long key) {
        Table t = table;
        long[] keys = t.keys;
        int mask = t.mask;
        int i = slot(key, mask);
        while (true) {
            long k = (long) KEYS.getAcquire(keys, i);
            if (k == key) {
                return t.records[i];
            }
            if (k == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds a chain whose key is not in the table. Caller holds the graph lock. */
    void insert(ChainRecord chain) {
        Table t = table;
        if ((t.size + 1) * 2 > t.keys.length) {
            Table bigger = new Table(t.keys.length * 2);
            for (ChainRecord c : t.records) {
                if (c != null) {
                    put(bigger, c);
                }
            }
            table = bigger;
            t = bigger;
        }
        put(t, chain);
    }

    /** Drops the chains {@code drop} selects, shrinking a table left mostly empty. Caller holds the graph lock. */
    void purge(Predicate<ChainRecord> drop) {
        Table old = table;
        List<ChainRecord> keep = new ArrayList<>();
        for (ChainRecord c : old.records) {
            if (c == null) {
                continue;
            }
            if (drop.test(c)) {
                c.live = false;
            } else {
                keep.add(c);
            }
        }
        int capacity = old.keys.length;
        while (capacity > INITIAL_CAPACITY && keep.size() * 8 < capacity) {
            capacity >>= 1;
        }
        Table t = new Table(capacity);
        for (ChainRecord c : keep) {
            put(t, c);
        }
        table = t;
    }

    /** Calls {@code action} for each cached chain. Caller holds the graph lock. */
    void forEach(Consumer<ChainRecord> action) {
        for (ChainRecord c : table.records) {
            if (c != null) {
                action.accept(c);
            }
        }
    }

    void clear() {
        forEach(c -> c.live = false);
        table = new Table(INITIAL_CAPACITY);
    }

    int size() {
        return table.size;
    }

    /** Slots in the current table; for tests. */
    int capacity() {
        return table.keys.length;
    }

    private static void put(Table t, ChainRecord chain) {
        int i = slot(chain.key, t.mask);
        while (t.keys[i] != 0) {
            i = (i + 1) & t.mask;
        }
        t.records[i] = chain;
        chain.live = true;
        KEYS.setRelease(t.keys, i, chain.key);
        t.size++;
    }

    private static int slot(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }
}
