package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.LockdepReport.Kind;
import nvdimm.lockdep.Mutex;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The 2019 libnvdimm series "Fix async operations and locking" replayed on the real core with the
 * validator in THROW mode: the core is the fixed variant of every scenario, and each test that guards
 * a fix also shows that the bug it prevents would be caught. (Patches 4 and 5, the command path, are
 * in {@link CommandPathTest}; "no lock held on return to the framework" is in {@link BusCoreTest}.)
 */
class Series2019Test extends CoreTestBase {

    /** A region driver creating {@code namespaces} pmem namespaces, and a namespace driver. */
    FakeDriver[] namespaceDrivers(int namespaces) {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> {
            for (int i = 0; i < namespaces; i++) {
                core.register(region, DeviceType.NAMESPACE_PMEM);
            }
        };
        FakeDriver pmem = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        core.addDriver(regions);
        core.addDriver(pmem);
        return new FakeDriver[] {regions, pmem};
    }

    @Nested
    class Patch1KillDevice {
        @Test
        void killWithoutTheDeviceLockIsReportedAndDoesNothing() {
            DeviceImpl dev = new DeviceImpl(core, "namespace9.0", DeviceType.NAMESPACE_IO, null);
            LockdepException e = assertThrows(LockdepException.class, dev::kill);
            assertEquals(Kind.NOT_HELD, e.report().kind());
            assertEquals(List.of("nd.device_lock/3"), e.report().lockNames());
            assertFalse(dev.isDead());
        }

        @Test
        void killUnderTheDeviceLockWinsExactlyOnce() {
            DeviceImpl dev = new DeviceImpl(core, "namespace9.0", DeviceType.NAMESPACE_IO, null);
            try (DeviceCore.Locked held = core.lock(dev)) {
                assertTrue(dev.kill());
                assertFalse(dev.kill());
            }
            assertTrue(dev.isDead());
            assertEquals(DeviceState.DEAD, dev.state());
            assertClean();
        }
    }

    @Nested
    class Patch2DuplicateUnregister {
        static final int ITERATIONS = 500;
        static final int DELETERS = 4;
        final ExecutorService deleters = Executors.newFixedThreadPool(DELETERS);

        @AfterEach
        void stop() {
            deleters.shutdownNow();
        }

        /**
         * One round: the bus comes up with two namespaces; DELETERS threads delete both (even ones
         * asynchronously from under the device lock, as a sysfs store does; odd ones synchronously)
         * while this thread removes the bus synchronously. Returns the namespaces' completions.
         */
        List<CompletionStage<Void>> round(FakeProvider p) throws Exception {
            core.addProvider(p);
            idle();
            List<Device> namespaces = List.of(dev("namespace0.0"), dev("namespace0.1"));
            CyclicBarrier start = new CyclicBarrier(DELETERS + 1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < DELETERS; t++) {
                boolean async = t % 2 == 0;
                done.add(deleters.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (Device ns : namespaces) {
                        if (async) {
                            try (DeviceCore.Locked held = core.lock(ns)) {
                                core.unregisterAsync(ns);
                            }
                        } else {
                            core.unregister(ns);
                        }
                    }
                    return null;
                }));
            }
            start.await(10, TimeUnit.SECONDS);
            core.removeProvider(p);
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            List<CompletionStage<Void>> removed = new ArrayList<>();
            for (Device ns : namespaces) {
                removed.add(((DeviceImpl) ns).removed);
            }
            for (CompletionStage<Void> r : removed) {
                r.toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            return removed;
        }

        @Test
        void concurrentDeletesRacingBusRemovalTearDownExactlyOnce() {
            FakeDriver[] drivers = namespaceDrivers(2);
            java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> winners = new java.util.concurrent.ConcurrentHashMap<>();
            drivers[1].onRemove = ns -> {
                String t = Thread.currentThread().getName();
                String who = t.startsWith("nvdimm-teardown-") ? "async delete" : t.startsWith("pool-") ? "sync delete"
                        : "bus removal";
                winners.computeIfAbsent(who, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            };
            FakeProvider p = provider(FakeProvider.of("emul.0", 2));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 1; i <= ITERATIONS; i++) {
                    round(p);
                    for (String d : List.of("namespace0.0", "namespace0.1", "region0", "nmem0", "ndbus0")) {
                        assertEquals(i, publisher.count("REMOVE " + d), d + " in round " + i);
                    }
                    assertEquals(i, drivers[1].removes("namespace0.0"), "round " + i);
                    assertEquals(i, drivers[1].removes("namespace0.1"), "round " + i);
                    assertEquals(i, drivers[0].removes("region0"), "round " + i);
                    assertEquals(List.of(), core.devices(), "round " + i);
                    publisher.clearTimeline();
                }
            });
            assertClean();
            // The rounds really raced: the teardowns were run by more than one kind of caller.
            assertTrue(winners.size() >= 2, winners.toString());
            System.out.println("namespace teardowns run by: " + winners);
        }

        /** The core without the kill-once flag: every caller thinks it won the teardown. */
        static final class NoKillOnceCore extends CoreImpl {
            NoKillOnceCore(CoreTestBase t) {
                super(t.lockdep, t.publisher, new CoreConfig(2, Duration.ofSeconds(10)));
            }

            @Override
            boolean kill(DeviceImpl dev) {
                dev.kill();
                return true;
            }
        }

        @Test
        void negativeControlWithoutKillOnceADeviceIsRemovedTwice() {
            core.close();
            core = new NoKillOnceCore(Series2019Test.this);
            namespaceDrivers(2);
            FakeProvider p = provider(FakeProvider.of("emul.0", 2));
            int caughtIn = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 1; i <= ITERATIONS; i++) {
                    round(p);
                    if (publisher.count("REMOVE namespace0.0") > i || publisher.count("REMOVE namespace0.1") > i) {
                        return i;
                    }
                }
                return -1;
            });
            assertTrue(caughtIn > 0, "no double removal seen in " + ITERATIONS + " rounds");
        }

        @Test
        void waitingForSomeoneElsesTeardownWhileHoldingALockItNeedsIsReported() throws Exception {
            // A consumer whose service listener takes its own lock when a device's service goes away...
            LockClass consumer = LockClass.of("consumer.state");
            lockdep.register(consumer);
            Mutex state = lockdep.newMutex(consumer);
            namespaceDrivers(2);
            bring(FakeProvider.of("emul.0", 1));
            idle();
            CountDownLatch inTeardown = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            publisher.onWithdraw = dev -> {
                if (dev.equals("namespace0.1")) {
                    inTeardown.countDown();
                    CommandPathTest.await(release);
                } else {
                    state.lock();
                    state.unlock();
                }
            };
            core.unregister(dev("namespace0.0")); // teaches the validator: teardown -> consumer.state
            // ...and that, holding that lock, deletes a device whose teardown another thread is running.
            Device ns = dev("namespace0.1");
            CompletionStage<Void> async;
            try (DeviceCore.Locked held = core.lock(ns)) {
                async = core.unregisterAsync(ns);
            }
            CommandPathTest.await(inTeardown);
            state.lock();
            try {
                LockdepException e = assertThrows(LockdepException.class, () -> core.unregister(ns));
                assertEquals(Kind.CIRCULAR_DEPENDENCY, e.report().kind());
                assertEquals(List.of("nd_device.teardown.L3", "consumer.state"), e.report().lockNames());
            } finally {
                state.unlock();
                release.countDown();
            }
            async.toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1, publisher.count("REMOVE namespace0.1"));
        }

        @Test
        void aDeleteFromInsideTheDevicesOwnTeardownReturnsAtOnce() {
            FakeDriver[] drivers = namespaceDrivers(1);
            List<String> seen = new CopyOnWriteArrayList<>();
            drivers[1].onRemove = ns -> {
                // remove() runs inside the teardown with the device lock held: ND_ASYNC is allowed there
                seen.add(String.valueOf(core.unregisterAsync(ns).toCompletableFuture().isDone()));
            };
            bring(FakeProvider.of("emul.0", 1));
            idle();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> core.unregister(dev("namespace0.0")));
            assertEquals(List.of("false"), seen);
            assertClean();
        }
    }

    @Nested
    class Patch3BadblocksBeforeNamespaces {
        static final LockClass BADBLOCKS = LockClass.of("nd_region.badblocks");

        /**
         * The region driver's state: badblocks whose lock class exists only once initialised. The lock is
         * made on first use; before init() that fails at once (the class is not registered).
         */
        final class RegionState {
            private volatile Mutex badblocksLock;
            final List<Long> badblocks = new ArrayList<>();

            Mutex badblocksLock() {
                if (badblocksLock == null) {
                    badblocksLock = lockdep.newMutex(BADBLOCKS);
                }
                return badblocksLock;
            }

            void init() {
                lockdep.register(BADBLOCKS);
                badblocksLock().lock();
                try {
                    badblocks.add(4096L);
                } finally {
                    badblocksLock().unlock();
                }
            }
        }

        final CountDownLatch namespaceProbed = new CountDownLatch(1);
        final List<String> probeThreads = new CopyOnWriteArrayList<>();

        /** nd_region_probe(): fixed = badblocks first, then namespaces; buggy = the reverse. */
        void drivers(boolean fixed) {
            FakeDriver regions = driver("nd_region", DeviceType.REGION);
            regions.onProbe = region -> {
                RegionState state = new RegionState();
                region.setDriverData(state);
                if (fixed) {
                    state.init();
                }
                core.register(region, DeviceType.NAMESPACE_PMEM);
                if (!fixed) {
                    // let the namespace's asynchronous probe run first, as it sometimes did in Linux
                    CommandPathTest.await(namespaceProbed);
                    state.init();
                }
            };
            FakeDriver pmem = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
            pmem.onProbe = ns -> {
                probeThreads.add(Thread.currentThread().getName());
                try {
                    RegionState state = ns.parent().orElseThrow().driverData(RegionState.class).orElseThrow();
                    Mutex lock = state.badblocksLock(); // badblocks_check()
                    lock.lock();
                    lock.unlock();
                } finally {
                    namespaceProbed.countDown();
                }
            };
            core.addDriver(regions);
            core.addDriver(pmem);
        }

        @Test
        void badblocksBeforeNamespacesIsClean() {
            drivers(true);
            bring(FakeProvider.of("emul.0", 1));
            idle();
            assertTrue(dev("namespace0.0").isEnabled());
            assertClean();
        }

        @Test
        void negativeControlNamespacesBeforeBadblocksAreCaught() {
            drivers(false);
            bring(FakeProvider.of("emul.0", 1));
            idle();
            assertEquals(List.of(Kind.UNREGISTERED_CLASS), kinds());
            LockdepReport r = lockdep.reports().get(0);
            assertEquals(List.of("nd_region.badblocks"), r.lockNames());
            assertTrue(r.thread().startsWith("nvdimm-probe-"), r.thread());
            Device ns = dev("namespace0.0");
            assertEquals(DeviceState.DISABLED, ns.state());
            assertInstanceOf(LockdepException.class, ns.probeError().orElseThrow().getCause());
        }
    }

    @Nested
    class Patch6ProbeIdleAbba {
        @Test
        void waitProbeIdleWithADeviceLockHeldIsReportedAndWithoutIsClean() {
            namespaceDrivers(1);
            bring(FakeProvider.of("emul.0", 1));
            idle();
            Device ns = dev("namespace0.0");
            try (DeviceCore.Locked held = core.lock(ns)) { // uuid_store() holding the namespace's lock
                NvdimmException refused = assertThrows(NvdimmException.class, core::waitProbeIdle);
                assertEquals(Errno.EDEADLK, refused.errno());
                LockdepException e = assertInstanceOf(LockdepException.class, refused.getCause());
                assertEquals(Kind.LOCKS_HELD, e.report().kind());
                assertEquals(List.of("nd.device_lock/3"), e.report().lockNames());
            }
            assertEquals(List.of(Kind.LOCKS_HELD, Kind.CIRCULAR_DEPENDENCY), kinds());
            lockdep.reset();
            core.waitProbeIdle(); // the fixed way: the lock dropped before waiting
            assertTrue(core.waitProbeIdle(Duration.ofSeconds(1)));
            assertClean();
        }

        @Test
        void theSeed001AbbaIsFoundByTheWaitPointFromOneThreadEvenWhenNothingIsProbing() {
            lockdep.setMode(LockdepMode.WARN);
            namespaceDrivers(1); // every namespace probe takes its device lock inside probe_idle work
            bring(FakeProvider.of("emul.0", 1));
            idle();
            try (DeviceCore.Locked held = core.lock(dev("namespace0.0"))) {
                // nothing is probing, yet the order is wrong: refused, and the cycle still reported
                assertEquals(Errno.EDEADLK, assertThrows(NvdimmException.class, core::waitProbeIdle).errno());
            }
            assertEquals(List.of(Kind.LOCKS_HELD, Kind.CIRCULAR_DEPENDENCY), kinds());
            LockdepReport cycle = lockdep.reports().get(1);
            assertEquals(List.of("nd_bus.probe_idle", "nd.device_lock/3"), cycle.lockNames());
        }

        /**
         * Seed 001's ABBA for real: this thread holds region0's lock while region0's probe, queued by a
         * driver arriving, needs it. Waiting for probes would never end (here: until the bound); it is
         * refused before it blocks, whatever the validator's mode.
         */
        @ParameterizedTest
        @EnumSource(LockdepMode.class)
        void theSeed001AbbaIsRefusedWithEdeadlkInEveryModeInsteadOfHanging(LockdepMode mode) {
            lockdep.setMode(mode);
            bring(FakeProvider.of("emul.0", 1));
            idle();
            FakeDriver regions = driver("nd_region", DeviceType.REGION);
            try (DeviceCore.Locked held = core.lock(dev("region0"))) {
                core.addDriver(regions); // region0's probe now waits for this thread's lock
                NvdimmException e = assertThrows(NvdimmException.class,
                        () -> core.waitProbeIdle(Duration.ofSeconds(5)));
                assertEquals(Errno.EDEADLK, e.errno());
                assertTrue(e.getMessage().contains("region0"), e.getMessage());
                if (mode == LockdepMode.THROW) {
                    assertInstanceOf(LockdepException.class, e.getCause());
                }
            }
            idle();
            assertTrue(dev("region0").isEnabled());
            // the diagnostic: the lock held, and the cycle through the wait point (DIMM probes took level 2)
            assertEquals(mode == LockdepMode.OFF ? List.of() : List.of(Kind.LOCKS_HELD, Kind.CIRCULAR_DEPENDENCY),
                    kinds());
        }

        /** With the validator off, every call that would wait refuses a held device lock by itself. */
        @Test
        void everyWaitUnderADeviceLockIsRefusedWithTheValidatorOff() {
            lockdep.setMode(LockdepMode.OFF);
            FakeDriver[] drivers = namespaceDrivers(1);
            FakeProvider p = provider(FakeProvider.of("emul.0", 1));
            core.addProvider(p);
            idle();
            Device ns = dev("namespace0.0");
            Device region = dev("region0");
            java.util.Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
            calls.put("waitProbeIdle", core::waitProbeIdle);
            calls.put("unregister", () -> core.unregister(ns));
            calls.put("disable", () -> core.disable(region));
            calls.put("enable", () -> core.enable(ns));
            calls.put("removeDriver", () -> core.removeDriver(drivers[1]));
            calls.put("removeProvider", () -> core.removeProvider(p));
            calls.put("command", () -> core.find("nmem0", nvdimm.bus.Dimm.class).orElseThrow().health());
            for (java.util.Map.Entry<String, Runnable> call : calls.entrySet()) {
                try (DeviceCore.Locked held = core.lock(dev("nmem0"))) {
                    NvdimmException e = assertThrows(NvdimmException.class, call.getValue()::run, call.getKey());
                    assertEquals(Errno.EDEADLK, e.errno(), call.getKey());
                    assertTrue(e.getMessage().contains("nmem0"), e.getMessage());
                }
            }
            assertTrue(ns.isEnabled());
            assertTrue(region.isEnabled());
            assertEquals(List.of("ndbus0"), core.buses().stream().map(Device::name).toList());
            assertEquals(List.of(), lockdep.reports());
        }

        @Test
        void aWaitForProbesFromInsideAProbeIsRefusedInsteadOfHanging() {
            lockdep.setMode(LockdepMode.WARN);
            List<Errno> refused = new CopyOnWriteArrayList<>();
            FakeDriver regions = driver("nd_region", DeviceType.REGION);
            regions.services = region -> {
                // services() runs on the probe thread, before the probe is counted out
                try {
                    core.waitProbeIdle();
                } catch (NvdimmException e) {
                    refused.add(e.errno());
                }
                return java.util.Map.of();
            };
            core.addDriver(regions);
            bring(FakeProvider.of("emul.0", 1));
            assertTimeoutPreemptively(Duration.ofSeconds(20), Series2019Test.this::idle);
            assertEquals(List.of(Errno.EBUSY), refused);
            assertEquals(List.of(Kind.RECURSIVE_LOCKING), kinds());
            assertEquals(List.of("nd_bus.probe_idle"), lockdep.reports().get(0).lockNames());
        }

        @Test
        void probesRunAsWorkOfTheProbeIdleWaitPoint() {
            List<String> held = new CopyOnWriteArrayList<>();
            FakeDriver regions = driver("nd_region", DeviceType.REGION);
            regions.onProbe = region -> lockdep.heldLocks().forEach(h -> held.add(h.toString()));
            core.addDriver(regions);
            bring(FakeProvider.of("emul.0", 1));
            idle();
            assertEquals(List.of("nd_bus.probe_idle (work)", "nd.device_lock/2 (write)"), held);
            assertSame(regions, ((DeviceImpl) dev("region0")).driver);
            assertClean();
        }
    }
}
