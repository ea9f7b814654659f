package nvdimm.lockdep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepStatus;
import nvdimm.lockdep.Mutex;
import nvdimm.lockdep.WaitPoint;
import org.junit.jupiter.api.Test;

/** Bundles come and go: 1000 register/release cycles must leave the graph as it was. */
class ReleaseCyclesTest {
    private static final LockClass CORE = LockClass.of("core.lock");

    @Test
    void thousandInstallUninstallCyclesDoNotGrowTheGraph() throws Exception {
        Lockdep root = new Lockdep(LockdepMode.THROW, r -> { });
        root.register(CORE);
        Mutex core = root.newMutex(CORE);
        core.lock();
        core.unlock();
        LockdepStatus baseline = root.status();
        Validator validator = validatorOf(root);
        int slotsAfterFirst = -1;
        for (int cycle = 0; cycle < 1000; cycle++) {
            Object bundle = new Object();
            Lockdep view = root.forOwner(bundle);
            // Each "bundle revision" declares its own classes, as a new class loader would.
            LockClass device = LockClass.of("bundle.device_lock");
            LockClass lane = LockClass.of("bundle.lane", LockClass.Flag.RECURSIVE);
            LockClass idle = LockClass.of("bundle.probe_idle");
            view.register(device, lane, idle);
            Mutex parent = view.newMutex(device, 0);
            Mutex child = view.newMutex(device, 3);
            Mutex l = view.newMutex(lane);
            WaitPoint probeIdle = view.newWaitPoint(idle);
            core.lock();
            parent.lock();
            child.lock();
            l.lock();
            l.unlock();
            child.unlock();
            parent.unlock();
            core.unlock();
            probeIdle.work(() -> {
                parent.lock();
                parent.unlock();
            });
            probeIdle.beforeWait();
            assertEquals(4, root.status().classes());
            assertFalse(root.dependencies().isEmpty());
            assertEquals(3, root.release(bundle));
            assertEquals(baseline, root.status(), "after cycle " + cycle);
            if (cycle == 0) {
                slotsAfterFirst = validator.classSlotsUsed();
            }
            assertEquals(slotsAfterFirst, validator.classSlotsUsed(), "class slots after cycle " + cycle);
        }
        assertEquals(List.of(), root.dependencies());
        assertEquals(List.of(), root.reports());
        System.out.printf("lockdep: after 1000 register/release cycles: %s (baseline %s), %d class slots%n",
                root.status(), baseline, validator.classSlotsUsed());
    }

    /**
     * Issue 8 item 13: a restarted bundle's pool threads have fresh names, and each stack interned for a
     * new chain names its thread. A release must drop the stacks only the released classes used, or
     * 10,000 restarts keep megabytes of stacks.
     */
    @Test
    void restartsOnFreshThreadNamesLeaveNoInternedStacks() throws Exception {
        Lockdep root = new Lockdep(LockdepMode.WARN, r -> { });
        root.register(CORE);
        Mutex core = root.newMutex(CORE);
        core.lock();
        core.unlock();
        Validator validator = validatorOf(root);
        int baseline = validator.internedSites();
        assertEquals(1, baseline);
        String name = Thread.currentThread().getName();
        try {
            for (int cycle = 0; cycle < 2000; cycle++) {
                Thread.currentThread().setName("pool-" + cycle + "-thread-1");
                Object bundle = new Object();
                Lockdep view = root.forOwner(bundle);
                LockClass device = LockClass.of("bundle.device_lock");
                view.register(device);
                Mutex m = view.newMutex(device);
                core.lock();
                m.lock();
                m.unlock();
                core.unlock();
                m.lock();
                m.unlock();
                assertEquals(1, root.release(bundle));
                assertEquals(baseline, validator.internedSites(), "interned stacks after cycle " + cycle);
            }
        } finally {
            Thread.currentThread().setName(name);
        }
        assertEquals(List.of(), root.reports());
    }

    /**
     * Issue 8 item 13: a lock used after its class was released is reported; the chain that use made
     * must not stay cached (no later release would ever purge it), in any context it is used in.
     */
    @Test
    void aLockUsedAfterItsReleaseLeavesNoCachedChain() throws Exception {
        Lockdep root = new Lockdep(LockdepMode.WARN, r -> { });
        root.register(CORE);
        Mutex core = root.newMutex(CORE);
        core.lock();
        core.unlock();
        Validator validator = validatorOf(root);
        int chains = root.status().chains();
        int sites = validator.internedSites();
        for (int cycle = 0; cycle < 500; cycle++) {
            Object bundle = new Object();
            Lockdep view = root.forOwner(bundle);
            LockClass device = LockClass.of("bundle.device_lock");
            view.register(device);
            Mutex m = view.newMutex(device);
            m.lock();
            m.unlock();
            assertEquals(1, root.release(bundle));
            m.lock(); // reported: its class is gone
            m.unlock();
            core.lock();
            m.lock();
            m.unlock();
            core.unlock();
            m.lock();
            core.lock(); // a registered lock on top of the unregistered one
            core.unlock();
            m.unlock();
            assertEquals(chains, root.status().chains(), "cached chains after cycle " + cycle);
            assertEquals(sites, validator.internedSites(), "interned stacks after cycle " + cycle);
        }
        assertFalse(root.reports().isEmpty());
    }

    /**
     * A release keeps the stacks the graph still shows: a dependency first seen on a chain that is purged
     * (a flagged one goes on any release) outlives that chain.
     */
    @Test
    void aReleaseKeepsTheStacksOfDependenciesThatStay() throws Exception {
        Lockdep root = new Lockdep(LockdepMode.WARN, r -> { });
        LockClass spin = LockClass.of("core.spin", LockClass.Flag.ATOMIC);
        root.register(CORE, spin);
        Validator validator = validatorOf(root);
        Mutex s = root.newMutex(spin);
        Mutex core = root.newMutex(CORE);
        s.lock();
        core.lock(); // sleeping under an atomic lock: reported, its chain flagged, the dependency recorded
        core.unlock();
        s.unlock();
        assertEquals(1, root.dependencies().size());
        int sites = validator.internedSites();
        Object bundle = new Object();
        root.forOwner(bundle).register(LockClass.of("bundle.lock"));
        assertEquals(1, root.release(bundle));
        assertEquals(1, root.dependencies().size());
        assertEquals(sites, validator.internedSites());
        root.reset();
        assertEquals(0, validator.internedSites());
    }

    static Validator validatorOf(Lockdep lockdep) throws ReflectiveOperationException {
        var field = Lockdep.class.getDeclaredField("validator");
        field.setAccessible(true);
        return (Validator) field.get(lockdep);
    }
}
