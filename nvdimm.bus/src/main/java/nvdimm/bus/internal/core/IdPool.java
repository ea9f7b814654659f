package nvdimm.bus.internal.core;

import java.util.BitSet;

/** Hands out the lowest free id, as Linux's ida does. Not thread-safe: the core guards it. */
final class IdPool {
    private final String what;
    private final BitSet used = new BitSet();

    IdPool(String what) {
        this.what = what;
    }

    int allocate() {
        int id = used.nextClearBit(0);
        used.set(id);
        return id;
    }

    void release(int id) {
        if (id < 0 || !used.get(id)) {
            throw new IllegalStateException(what + " id " + id + " released but not in use");
        }
        used.clear(id);
    }
}
