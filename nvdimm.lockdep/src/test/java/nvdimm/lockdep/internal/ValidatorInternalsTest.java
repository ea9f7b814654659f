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

    /**
     * A mutex reuses the chain it was last validated by while that chain is live in the cache: a reset, a
     * release or another context must send it back through validation.
     */
    @Test
    void aMutexReusesItsLastChainOnlyWhileItIsLiveAndMatches() {
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        LockClass a = LockClass.of("a");
        LockClass b = LockClass.of("b");
        LockClass c = LockClass.of("c", LockClass.Flag.RECURSIVE);
        lockdep.register(a, b, c);
        Mutex ma = lockdep.newMutex(a);
        Mutex mb = lockdep.newMutex(b);
        Mutex mc = lockdep.newMutex(c);
        nest(ma, mb);
        assertEquals(1, lockdep.dependencies().size());
        lockdep.reset();
        nest(ma, mb); // same sequence, chain purged: validated again
        assertEquals(1, lockdep.dependencies().size());
        nest(mc, mb); // same lock, another context
        assertEquals(2, lockdep.dependencies().size());
        mc.lock();
        nest(mc, mb); // re-entry: another kind
        mc.unlock();
        assertEquals(2, lockdep.dependencies().size());
        assertEquals(List.of(), lockdep.reports());
        nest(mb, ma); // a cycle: its chain is flagged, and not reused
        lockdep.setMode(LockdepMode.THROW);
        mb.lock();
        try {
            assertThrowsLockdep(ma);
        } finally {
            mb.unlock();
        }

        Object owner = new Object();
        LockClass d = LockClass.of("d");
        lockdep.forOwner(owner).register(d);
        Mutex md = lockdep.newMutex(d);
        nest(md, ma);
        lockdep.release(owner);
        lockdep.setMode(LockdepMode.WARN);
        nest(md, ma); // md's class is gone: reported, and ma's chain over it is not reused
        assertEquals(2, lockdep.reports().size());
        lockdep.forOwner(owner).register(d);
        nest(md, ma);
        assertEquals(3, lockdep.dependencies().size());

        // Taken while off, then again once on: the same (empty) sequence below, but a re-entry.
        ma.lock();
        ma.unlock();
        lockdep.setMode(LockdepMode.OFF);
        ma.lock();
        lockdep.setMode(LockdepMode.WARN);
        ma.lock();
        try {
            assertEquals("write reentrant", lockdep.heldLocks().get(0).mode());
        } finally {
            ma.unlock();
            ma.unlock();
        }
    }

    private static void assertThrowsLockdep(Mutex m) {
        try {
            m.lock();
        } catch (nvdimm.lockdep.LockdepException expected) {
            return;
        }
        m.unlock();
        throw new AssertionError("expected a LockdepException from " + m);
    }

    private static void nest(Mutex outer, Mutex inner) {
        outer.lock();
        inner.lock();
        inner.unlock();
        outer.unlock();
    }
}
