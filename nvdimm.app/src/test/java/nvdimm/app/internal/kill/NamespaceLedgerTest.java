package nvdimm.app.internal.kill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nvdimm.app.internal.kill.NamespaceLedger.Listed;
import org.junit.jupiter.api.Test;

/** The namespace verifier: acknowledged namespaces as acknowledged, plus at most the one in flight. */
class NamespaceLedgerTest {

    static Listed ok(String uuid, String mode) {
        return new Listed(uuid, mode, true, true, "namespace0.x");
    }

    @Test
    void anInFlightCreateMayOrMayNotBeThere() {
        NamespaceLedger a = new NamespaceLedger();
        a.apply(List.of("S", "+C u1 raw 33554432", "C u1", "+C u2 sector 33554432"));
        a.verify(List.of(ok("u1", "raw")));
        NamespaceLedger b = new NamespaceLedger();
        b.apply(List.of("S", "+C u1 raw 33554432", "C u1", "+C u2 sector 33554432"));
        b.verify(List.of(ok("u1", "raw"), new Listed("u2", "sector", true, false, "namespace0.1")));
        assertEquals(1, b.halfCreated());
        b.verify(List.of(ok("u1", "raw"), new Listed("u2", "sector", true, false, "namespace0.1")));
    }

    @Test
    void anInFlightDestroyMayOrMayNotHaveHappened() {
        NamespaceLedger a = new NamespaceLedger();
        a.apply(List.of("+C u1 raw 1", "C u1", "+D u1"));
        a.verify(List.of());
        NamespaceLedger b = new NamespaceLedger();
        b.apply(List.of("+C u1 raw 1", "C u1", "+D u1"));
        b.verify(List.of(ok("u1", "raw")));
    }

    @Test
    void aLostNamespaceIsCaught() {
        NamespaceLedger l = new NamespaceLedger();
        l.apply(List.of("+C u1 raw 1", "C u1"));
        AssertionError e = assertThrows(AssertionError.class, () -> l.verify(List.of()));
        assertTrue(e.getMessage().contains("namespace u1 is gone"), e.getMessage());
    }

    @Test
    void aNamespaceWhoseDestroyWasAcknowledgedOrWhoseCreateWasRefusedIsCaught() {
        NamespaceLedger l = new NamespaceLedger();
        l.apply(List.of("+C u1 raw 1", "C u1", "+D u1", "D u1", "+C u2 raw 1", "X u2 ENOSPC"));
        AssertionError e = assertThrows(AssertionError.class, () -> l.verify(List.of(ok("u1", "raw"), ok("u2", "raw"))));
        assertTrue(e.getMessage().contains("u1") && e.getMessage().contains("u2"), e.getMessage());
    }

    @Test
    void anAcknowledgedNamespaceInAnotherModeOrWithoutItsBlockDeviceIsCaught() {
        NamespaceLedger l = new NamespaceLedger();
        l.apply(List.of("+C u1 sector 1", "C u1"));
        assertThrows(AssertionError.class, () -> l.verify(List.of(ok("u1", "raw"))));
        assertThrows(AssertionError.class, () -> l.verify(List.of(new Listed("u1", "sector", true, false, "n"))));
        assertThrows(AssertionError.class, () -> l.verify(List.of(new Listed("u1", "sector", false, true, "n"))));
    }

    @Test
    void capacityHeldByNoListedNamespaceIsCaught() {
        NamespaceLedger l = new NamespaceLedger();
        l.apply(List.of("+C u1 raw 33554432", "C u1", "+C u2 sector 67108864"));
        l.verify(List.of(ok("u1", "raw"), new Listed("u2", "sector", true, true, "n")));
        l.verifyCapacity(268435456, 268435456 - 33554432 - 67108864);
        AssertionError e = assertThrows(AssertionError.class, () -> l.verifyCapacity(268435456, 0));
        assertTrue(e.getMessage().contains("167772160 bytes held by labels of no listed namespace"), e.getMessage());
    }
}
