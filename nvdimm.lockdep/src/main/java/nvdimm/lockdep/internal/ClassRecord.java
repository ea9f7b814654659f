package nvdimm.lockdep.internal;

import java.util.ArrayList;
import java.util.List;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockNode;

/** A lock class registered with one validator: its graph slot, serial and owners. */
final class ClassRecord {
    final LockClass lockClass;
    /** Who registered it, each once; it is released when the last of them is. Guarded by the graph lock. */
    final List<Object> owners = new ArrayList<>(1);
    /** Graph nodes {@code slot * 8 + subclass}; a slot is reused once its class is released. */
    final int slot;
    /** Never reused: keeps chain keys of a released class from matching its slot's next class. */
    final long serial;
    final boolean atomic;
    final boolean recursive;
    final boolean recursiveRead;
    volatile boolean released;

    ClassRecord(LockClass lockClass, Object owner, int slot, long serial) {
        this.lockClass = lockClass;
        this.owners.add(owner);
        this.slot = slot;
        this.serial = serial;
        this.atomic = lockClass.has(LockClass.Flag.ATOMIC);
        this.recursive = lockClass.has(LockClass.Flag.RECURSIVE);
        this.recursiveRead = lockClass.has(LockClass.Flag.RECURSIVE_READ);
    }

    int node(int subclass) {
        return slot * LockClass.MAX_SUBCLASSES + subclass;
    }

    LockNode lockNode(int subclass) {
        return new LockNode(lockClass.name(), subclass);
    }
}
