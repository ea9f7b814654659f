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
        return new ChainRecord(hs.topKey(), id, c, 0, kind, new ClassRecord[0], null, null);
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
        assertEquals(1, hs.atomic());
        assertTrue(hs.pop(b, false));
        assertEquals(0, hs.atomic());
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
    void keysFollowThePushesAndPopsFindAnyEntry() {
        HeldStack hs = new HeldStack(0);
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        ChainRecord ca = entry(hs, SLEEPING, 0);
        hs.push(a, ca);
        assertEquals(ca.key, hs.topKey());
        ChainRecord cb = entry(hs, ATOMIC, 0);
        hs.push(b, cb);
        assertEquals(cb.key, hs.topKey());
        hs.push(c, entry(hs, SLEEPING, 0));
        assertEquals(0, hs.indexOf(a));
        assertTrue(hs.popExclusive(a)); // the bottom one, out of order
        assertEquals(-1, hs.indexOf(a));
        assertEquals(b, hs.locks[0]);
        assertEquals(c, hs.locks[1]);
        assertFalse(hs.popExclusive(a));
        assertTrue(hs.popExclusive(c));
        assertEquals(cb.id, hs.chains[0].id);
        long below = hs.topKey();
        ChainRecord again = entry(new HeldStack(0), SLEEPING, 0);
        hs.repush(a, again);
        assertEquals(ChainKeys.next(below, again.id), hs.topKey());
        assertTrue(hs.pop(b, false));
        assertEquals(ChainKeys.next(ChainKeys.EMPTY, again.id), hs.topKey());
        assertEquals(0, hs.atomic());
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
        assertEquals(50, hs.atomic());
        assertEquals(42, hs.indexOf(locks[42]));
        HeldStack.Snapshot s = hs.snapshot();
        assertEquals(1, hs.removeAll(locks[7]).length);
        assertEquals(99, hs.depth);
        hs.restore(s);
        assertEquals(100, hs.depth);
        hs.reset(3);
        assertEquals(null, hs.locks[0]);
        assertEquals(null, hs.chains[99]);
        assertEquals(0, hs.depth);
        assertEquals(0, hs.atomic());
        assertEquals(3, hs.epoch);
        assertEquals(-1, hs.indexOf(locks[0]));
    }

    /** The top key, read on every acquisition, follows restores and re-pushed entries. */
    @Test
    void restoreAndRepushKeepTheTopKey() {
        HeldStack hs = new HeldStack(0);
        Object a = new Object();
        Object b = new Object();
        ChainRecord ea = entry(hs, SLEEPING, 0);
        hs.push(a, ea);
        HeldStack.Snapshot oneDeep = hs.snapshot();
        ChainRecord eb = entry(hs, ATOMIC, 0);
        hs.push(b, eb);
        long ab = hs.topKey();
        hs.restore(oneDeep);
        assertEquals(ea.key, hs.topKey());
        hs.push(b, eb);
        assertEquals(ab, hs.topKey());

        HeldStack other = new HeldStack(0);
        other.repush(b, eb); // saved on top of a, pushed again on an empty stack
        long bAlone = ChainKeys.next(ChainKeys.EMPTY, eb.id);
        assertEquals(bAlone, other.topKey());
        other.repush(a, ea);
        assertEquals(ChainKeys.next(bAlone, ea.id), other.topKey());
        assertTrue(other.pop(a, false));
        assertEquals(bAlone, other.topKey());
        assertTrue(other.pop(b, false));
        assertEquals(ChainKeys.EMPTY, other.topKey());
    }
}
