package nvdimm.lockdep.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nvdimm.lockdep.LockClass;

/**
 * The registered classes. Lookups by class are lock-free (locks resolve their class on first use and
 * after a release); changes happen under the validator's graph lock.
 */
final class ClassRegistry {
    private final Map<LockClass, ClassRecord> byClass = new ConcurrentHashMap<>();
    private final Map<String, ClassRecord> byName = new HashMap<>();
    private ClassRecord[] bySlot = new ClassRecord[16];
    private int slotsUsed;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private long serials;

    ClassRecord find(LockClass lockClass) {
        return byClass.get(lockClass);
    }

    /** Registers {@code lockClass} for {@code owner}; a class registered already stays as it is. */
    void register(LockClass lockClass, Object owner) {
        if (byClass.containsKey(lockClass)) {
            return;
        }
        ClassRecord sameName = byName.get(lockClass.name());
        if (sameName != null) {
            throw new IllegalArgumentException("another lock class is already registered as '"
                    + lockClass.name() + "'; class names must be unique");
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : slotsUsed++;
        if (slot >= bySlot.length) {
            bySlot = Arrays.copyOf(bySlot, bySlot.length * 2);
        }
        ClassRecord record = new ClassRecord(lockClass, owner, slot, ++serials);
        bySlot[slot] = record;
        byName.put(lockClass.name(), record);
        byClass.put(lockClass, record);
    }

    /** Unregisters the classes of {@code owner} and returns them; their slots become free. */
    List<ClassRecord> release(Object owner) {
        List<ClassRecord> gone = new ArrayList<>();
        for (ClassRecord r : byClass.values()) {
            if (r.owner == owner) {
                gone.add(r);
            }
        }
        for (ClassRecord r : gone) {
            r.released = true;
            byClass.remove(r.lockClass);
            byName.remove(r.lockClass.name());
            bySlot[r.slot] = null;
            if (freeCount == freeSlots.length) {
                freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
            }
            freeSlots[freeCount++] = r.slot;
        }
        return gone;
    }

    ClassRecord atSlot(int slot) {
        return slot < bySlot.length ? bySlot[slot] : null;
    }

    int size() {
        return byClass.size();
    }

    /** Slots ever used; it grows only when more classes are registered at once than ever before. */
    int slotsUsed() {
        return slotsUsed;
    }
}
