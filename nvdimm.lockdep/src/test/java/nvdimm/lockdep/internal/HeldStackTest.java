package nvdimm.lockdep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nvdimm.lockdep.LockClass;
import org.junit.jupiter.api.Test;

class HeldStackTest {
    private static final ClassRecord ATOMIC = new ClassRecord(LockClass.of("atomic", LockClass.Flag.ATOMIC), "t", 0, 1);
    private static final ClassRecord SLEEPING = new ClassRecord(LockClass.of("sleeping"), "t", 1, 2);

    private static ChainRecord entry(HeldStack hs, ClassRecord c, int kind) {
        long id = Acquire.id(c.serial, 0, kind);
        return new ChainRecord(ChainKeys.next(hs.topKey(), id), id, c, 0, kind, new ClassRecord[0], null, false);
    }

    @Test
    void outOfOrderReleaseRecomputesTheKeysAboveAsIfPushedFresh() {
        HeldStack hs = new HeldStack(0);
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        hs.push(a, entry(hs, SLEEPING, 0));
        hs.push(b, entry(hs, ATOMIC, 0));
        hs.push(c, entry(hs, SLEEPING, Acquire.READ));
        assertEquals(1, hs.atomic);
        assertTrue(hs.pop(b, false));
        assertEquals(0, hs.atomic);
        assertEquals(2, hs.depth);

        HeldStack fresh = new HeldStack(0);
        fresh.push(a, entry(fresh, SLEEPING, 0));
        fresh.push(c, entry(fresh, SLEEPING, Acquire.READ));
        assertEquals(fresh.topKey(), hs.topKey());
        assertFalse(hs.pop(c, false)); // held shared, not exclusive
        assertTrue(hs.pop(c, true));
        assertTrue(hs.pop(a, false));
        assertEquals(ChainKeys.EMPTY, hs.topKey());
    }

    @Test
    void growsPastItsInitialDepthAndResets() {
        HeldStack hs = new HeldStack(0);
        Object[] locks = new Object[100];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
            hs.push(locks[i], entry(hs, i % 2 == 0 ? ATOMIC : SLEEPING, 0));
        }
        assertEquals(100, hs.depth);
        assertEquals(50, hs.atomic);
        assertEquals(42, hs.indexOf(locks[42]));
        HeldStack.Snapshot s = hs.snapshot();
        assertEquals(1, hs.removeAll(locks[7]).length);
        assertEquals(99, hs.depth);
        hs.restore(s);
        assertEquals(100, hs.depth);
        hs.reset(3);
        assertEquals(0, hs.depth);
        assertEquals(0, hs.atomic);
        assertEquals(3, hs.epoch);
        assertEquals(-1, hs.indexOf(locks[0]));
    }
}
