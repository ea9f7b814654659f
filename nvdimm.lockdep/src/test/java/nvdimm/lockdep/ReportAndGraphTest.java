package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.nested;
import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports read well in a terminal and are complete as data; the graph is available as data and dot. */
class ReportAndGraphTest {
    private static final LockClass BUS = LockClass.of("nvdimm_bus.reconfig_mutex");
    private static final LockClass DEV = LockClass.of("nd.device_lock");
    private static final LockClass IDLE = LockClass.of("nvdimm_bus.probe_idle");

    private final Lockdep lockdep = quiet(LockdepMode.WARN);

    ReportAndGraphTest() {
        lockdep.register(BUS, DEV, IDLE);
    }

    @Test
    void aCycleReportNamesTheCycleEachDependencysStackAndTheHeldLocks() throws Exception {
        Mutex bus = lockdep.newMutex(BUS);
        Mutex ns = lockdep.newMutex(DEV, 3);
        onThread("uuid_store", () -> nested(ns, bus));
        bus.lock();
        ns.lock();
        ns.unlock();
        bus.unlock();

        LockdepReport r = lockdep.reports().get(0);
        String text = r.toString();
        assertTrue(text.contains("lockdep WARNING: possible circular locking dependency detected"), text);
        assertTrue(text.contains("nd.device_lock/3 -> nvdimm_bus.reconfig_mutex -> nd.device_lock/3"), text);
        assertTrue(text.contains("#0 nvdimm_bus.reconfig_mutex -(EN)-> nd.device_lock/3   [thread \"main\"]"), text);
        assertTrue(text.contains("#1 nd.device_lock/3 -(EN)-> nvdimm_bus.reconfig_mutex   [thread \"uuid_store\"]"),
                text);
        assertTrue(text.contains("*** DEADLOCK ***"), text);
        assertTrue(text.contains("locks held by thread \"main\" (1):"), text);
        assertTrue(text.contains("#0 nvdimm_bus.reconfig_mutex (write), taken at"), text);
        assertTrue(text.contains("aCycleReportNamesTheCycleEachDependencysStackAndTheHeldLocks"), text);
        assertFalse(text.contains("nvdimm.lockdep.internal"), "the validator's own frames are trimmed");

        assertEquals(1, r.held().size());
        assertEquals("nvdimm_bus.reconfig_mutex", r.held().get(0).lock().toString());
        assertFalse(r.held().get(0).acquiredAt().isEmpty());
        assertFalse(r.stack().isEmpty());
        assertEquals(DependencyType.EN, r.cycle().get(0).type());
    }

    @Test
    void longerCyclesAndOtherKindsRenderToo() throws Exception {
        Mutex bus = lockdep.newMutex(BUS);
        Mutex dev = lockdep.newMutex(DEV);
        WaitPoint idle = lockdep.newWaitPoint(IDLE);
        nested(() -> idle.beforeWait(), bus);
        nested(dev, bus);
        idle.work(() -> nested(dev));
        lockdep.assertNoneHeld();
        dev.lock();
        lockdep.assertNoneHeld();
        dev.unlock();
        String cycle = lockdep.reports().get(0).toString();
        assertTrue(cycle.contains("3 threads, each holding one lock of the cycle"), cycle);
        assertTrue(cycle.contains("(work)"), cycle);
        String held = lockdep.reports().get(1).toString();
        assertTrue(held.contains("lock held when returning to the framework"), held);
        assertTrue(held.contains("still holds 1 lock where it must hold none"), held);
    }

    @Test
    void statusCountsAndTheGraphAsDataAndDot() {
        Mutex bus = lockdep.newMutex(BUS);
        Mutex ns = lockdep.newMutex(DEV, 3);
        nested(bus, ns);
        WaitPoint idle = lockdep.newWaitPoint(IDLE);
        idle.work(() -> nested(ns));
        LockdepStatus status = lockdep.status();
        assertEquals(new LockdepStatus(LockdepMode.WARN, 3, 2, 4, 0), status);
        assertEquals("mode warn, 3 classes, 2 dependencies, 4 chains, 0 reports", status.toString());

        List<Dependency> all = lockdep.dependencies();
        assertEquals(List.of("nvdimm_bus.probe_idle -(SN)-> nd.device_lock/3",
                "nvdimm_bus.reconfig_mutex -(EN)-> nd.device_lock/3"), all.stream().map(Dependency::toString).toList());
        assertEquals(1, lockdep.dependencies("nvdimm_bus.probe_idle").size());
        assertEquals(0, lockdep.dependencies("nobody").size());
        assertEquals(Thread.currentThread().getName(), all.get(0).thread());

        String dot = lockdep.toDot();
        assertTrue(dot.startsWith("digraph lockdep {"), dot);
        assertTrue(dot.contains("\"nvdimm_bus.reconfig_mutex\" -> \"nd.device_lock/3\" [label=\"EN\"];"), dot);
        String focus = lockdep.toDot("nd.device_lock");
        assertTrue(focus.contains("\"nd.device_lock/3\" [style=bold];"), focus);
        assertEquals(1, focus.split("style=bold").length - 1, focus);

        lockdep.reset();
        assertEquals(new LockdepStatus(LockdepMode.WARN, 3, 0, 0, 0), lockdep.status());
        assertTrue(lockdep.toString().contains("3 classes"));
    }

    @Test
    void dataTypesDescribeThemselves() {
        assertEquals("-(SR)->", DependencyType.SR.arrow());
        assertTrue(DependencyType.SN.sharedHolder());
        assertFalse(DependencyType.EN.sharedHolder());
        assertTrue(DependencyType.ER.recursiveReader());
        assertFalse(DependencyType.SN.recursiveReader());
        assertEquals("x/2", new LockNode("x", 2).toString());
        assertEquals("x (write)", new HeldLock(new LockNode("x", 0), "write", List.of()).toString());
        assertEquals("test.flagged[ATOMIC]", LockClass.of("test.flagged", LockClass.Flag.ATOMIC).toString());
        assertEquals("Mutex[nd.device_lock/3]", lockdep.newMutex(DEV, 3).toString());
        assertEquals("RwLock[nd.device_lock].read", lockdep.newRwLock(DEV).readLock().toString());
        assertEquals("WaitPoint[nvdimm_bus.probe_idle]", lockdep.newWaitPoint(IDLE).toString());
        assertEquals("possible recursive locking detected", LockdepReport.Kind.RECURSIVE_LOCKING.headline());
    }
}
