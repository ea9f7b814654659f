package nvdimm.lockdep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.Mutex;
import org.junit.jupiter.api.Test;

class ValidatorInternalsTest {
    @Test
    void theGraphLockIsNeverLeftHeld() throws Exception {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        Validator v = ReleaseCyclesTest.validatorOf(lockdep);
        Object owner = new Object();
        LockClass a = LockClass.of("a");
        LockClass b = LockClass.of("b");
        lockdep.forOwner(owner).register(a, b);
        assertFalse(v.graphLockHeld());
        Mutex ma = lockdep.newMutex(a);
        Mutex mb = lockdep.newMutex(b);
        ma.lock();
        mb.lock();
        mb.unlock();
        ma.unlock();
        assertFalse(v.graphLockHeld());
        lockdep.status();
        assertFalse(v.graphLockHeld());
        lockdep.dependencies();
        assertFalse(v.graphLockHeld());
        assertTrue(v.graphIsConsistent());
        assertFalse(v.graphLockHeld());
        v.classSlotsUsed();
        assertFalse(v.graphLockHeld());
        lockdep.reset();
        assertFalse(v.graphLockHeld());
        lockdep.release(owner);
        assertFalse(v.graphLockHeld());
        lockdep.release(new Object());
        assertFalse(v.graphLockHeld());
    }

    @Test
    void releasingOneOwnerLeavesTheClassesInTheNextSlotsAlone() {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        Object first = new Object();
        Object second = new Object();
        LockClass x = LockClass.of("x");
        LockClass y1 = LockClass.of("y1");
        LockClass y2 = LockClass.of("y2");
        lockdep.forOwner(first).register(x);
        lockdep.forOwner(second).register(y1, y2);
        Mutex m1 = lockdep.newMutex(y1);
        Mutex m2 = lockdep.newMutex(y2);
        m1.lock();
        m2.lock();
        m2.unlock();
        m1.unlock();
        assertEquals(1, lockdep.release(first));
        assertEquals(1, lockdep.dependencies().size());
        assertEquals(2, lockdep.status().chains());
    }

    @Test
    void manyClassesComeAndGoInReusedSlots() throws Exception {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        Validator v = ReleaseCyclesTest.validatorOf(lockdep);
        for (int round = 0; round < 3; round++) {
            Object owner = new Object();
            List<LockClass> classes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                classes.add(LockClass.of("c" + i));
            }
            lockdep.forOwner(owner).register(classes.toArray(LockClass[]::new));
            Mutex last = lockdep.newMutex(classes.get(39), 7);
            Mutex first = lockdep.newMutex(classes.get(0));
            first.lock();
            last.lock();
            last.unlock();
            first.unlock();
            assertEquals("c0 -(EN)-> c39/7", lockdep.dependencies().get(0).toString());
            assertEquals(40, lockdep.release(owner));
            assertEquals(40, v.classSlotsUsed());
            assertTrue(v.graphIsConsistent());
        }
    }
}
