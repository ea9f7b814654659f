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

    /**
     * Registers {@code lockClass} for {@code owner}. A class registered already stays as it is, and
     * {@code owner} becomes one more of its owners.
     */
    void register(LockClass lockClass, Object owner) {
        ClassRecord known = byClass.get(lockClass);
        if (known != null) {
            if (!ownedBy(known, owner)) {
                known.owners.add(owner);
            }
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

    /**
     * Drops {@code owner} from the owners of its classes, unregisters those left without an owner and
     * returns them; their slots become free.
     */
    List<ClassRecord> release(Object owner) {
        List<ClassRecord> gone = new ArrayList<>();
        for (ClassRecord r : byClass.values()) {
            if (r.owners.removeIf(o -> o == owner) && r.owners.isEmpty()) {
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

    private static boolean ownedBy(ClassRecord r, Object owner) {
        for (Object o : r.owners) {
            if (o == owner) {
                return true;
            }
        }
        return false;
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
