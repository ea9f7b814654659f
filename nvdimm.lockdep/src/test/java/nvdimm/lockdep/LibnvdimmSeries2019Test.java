package nvdimm.lockdep;

import static nvdimm.lockdep.Fixtures.assertClean;
import static nvdimm.lockdep.Fixtures.kinds;
import static nvdimm.lockdep.Fixtures.onThread;
import static nvdimm.lockdep.Fixtures.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nvdimm.lockdep.LockdepReport.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The seven patches of "libnvdimm: Fix async operations and locking" (Dan Williams, July 2019) replayed
 * on small models: each buggy variant is reported, each fixed variant is clean. Device lock levels are
 * those of patch 7: bus 0, ndctl 1, region and DIMM 2, namespace 3, claim 4.
 */
class LibnvdimmSeries2019Test {
    static final LockClass DEVICE_LOCK = LockClass.of("nd.device_lock");
    static final LockClass BUS_LOCK = LockClass.of("nvdimm_bus.reconfig_mutex");
    static final LockClass BUS_LIST = LockClass.of("nvdimm_bus_list_mutex");
    static final LockClass PROBE_IDLE = LockClass.of("nvdimm_bus.probe_idle");
    static final LockClass IOCTL_IDLE = LockClass.of("nvdimm_bus.ioctl_idle");
    static final LockClass ASYNC_DOMAIN = LockClass.of("nd_async_domain");
    static final LockClass BADBLOCKS = LockClass.of("nd_region.badblocks");
    static final int LOCK_BUS = 0;
    static final int LOCK_REGION = 2;
    static final int LOCK_NAMESPACE = 3;

    final Lockdep lockdep = quiet(LockdepMode.WARN);

    LibnvdimmSeries2019Test() {
        lockdep.register(DEVICE_LOCK, BUS_LOCK, BUS_LIST, PROBE_IDLE, IOCTL_IDLE, ASYNC_DOMAIN);
    }

    /** A device with its lock and the driver core's "dead" flag. */
    final class Device {
        final Mutex lock;
        boolean dead;
        int deletes;

        Device(int level) {
            lock = lockdep.newMutex(DEVICE_LOCK, level);
        }

        /** Patch 1: kill_device(), only under the device lock; true for the one caller that wins. */
        boolean kill() {
            lockdep.assertHeld(lock);
            if (dead) {
                return false;
            }
            dead = true;
            return true;
        }

        /** device_del(): takes the device lock; a second call is the double delete of patch 2. */
        void del() {
            lock.lock();
            try {
                if (++deletes > 1) {
                    throw new IllegalStateException("device_del() ran twice");
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Nested
    class Patch1KillDevice {
        @Test
        void killWithoutTheDeviceLockIsReported() {
            Device dev = new Device(LOCK_NAMESPACE);
            assertTrue(dev.kill());
            assertEquals(List.of(Kind.NOT_HELD), kinds(lockdep));
        }

        @Test
        void killUnderTheDeviceLockWinsOnce() {
            Device dev = new Device(LOCK_NAMESPACE);
            dev.lock.lock();
            try {
                assertTrue(dev.kill());
                assertFalse(dev.kill());
            } finally {
                dev.lock.unlock();
            }
            assertClean(lockdep);
        }
    }

    @Nested
    class Patch2DuplicateUnregister {
        final WaitPoint asyncDomain = lockdep.newWaitPoint(ASYNC_DOMAIN);
        final ExecutorService async = Executors.newSingleThreadExecutor(r -> new Thread(r, "nd_async"));

        /** ND_ASYNC, from a sysfs store that holds the device lock: only the winner schedules the delete. */
        Future<?> unregisterAsync(Device dev) {
            lockdep.assertHeld(dev.lock);
            return dev.kill() ? async.submit(() -> asyncDomain.work(dev::del)) : null;
        }

        /** nd_synchronize(): waits for the queued async work. */
        void synchronize() throws Exception {
            asyncDomain.waitFor(() -> async.submit(() -> { }).get());
        }

        /** ND_SYNC as fixed: kill under the lock, drop it, then flush and delete. */
        void unregisterSync(Device dev) throws Exception {
            dev.lock.lock();
            boolean won;
            try {
                won = dev.kill();
            } finally {
                dev.lock.unlock();
            }
            if (won) {
                synchronize();
                dev.del();
            }
        }

        /** ND_SYNC flushing while it holds the device lock, which the async job needs. */
        void unregisterSyncFlushingUnderTheLock(Device dev) throws Exception {
            dev.lock.lock();
            try {
                if (dev.kill()) {
                    synchronize();
                }
            } finally {
                dev.lock.unlock();
            }
        }

        @Test
        void manyAsyncAndOneSyncUnregisterDeleteOnceAndCleanly() throws Exception {
            try {
                Device dev = new Device(LOCK_NAMESPACE);
                List<Thread> writers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    writers.add(new Thread(() -> {
                        dev.lock.lock();
                        try {
                            unregisterAsync(dev);
                        } finally {
                            dev.lock.unlock();
                        }
                    }, "sysfs-" + i));
                }
                writers.forEach(Thread::start);
                unregisterSync(dev);
                for (Thread t : writers) {
                    t.join();
                }
                synchronize();
                assertEquals(1, dev.deletes);
                assertClean(lockdep);
            } finally {
                async.shutdownNow();
            }
        }

        @Test
        void flushingTheAsyncDomainUnderTheDeviceLockIsReported() throws Exception {
            lockdep.setMode(LockdepMode.THROW);
            try {
                Device first = new Device(LOCK_NAMESPACE);
                first.lock.lock();
                Future<?> job = unregisterAsync(first);
                first.lock.unlock();
                job.get(); // the async job took the device lock inside the async domain
                Device second = new Device(LOCK_NAMESPACE);
                LockdepException e = assertThrows(LockdepException.class,
                        () -> unregisterSyncFlushingUnderTheLock(second));
                assertEquals(List.of("nd_async_domain", "nd.device_lock/3"), e.report().lockNames());
                assertFalse(second.lock.isHeldByCurrentThread());
            } finally {
                async.shutdownNow();
            }
        }
    }

    @Nested
    class Patch3BadblocksBeforeNamespaces {
        /**
         * A region whose badblocks (and their lock class) exist only after badblocksInit(). Its lock is made
         * on first use, as an embedded lock is "there" before it is initialised: a use before the class is
         * registered fails at once, in the thread that used it too early.
         */
        final class Region {
            private Mutex badblocksLock;
            final List<Long> badblocks = new ArrayList<>();
            LockdepException probeError;

            Mutex badblocksLock() {
                if (badblocksLock == null) {
                    badblocksLock = lockdep.newMutex(BADBLOCKS);
                }
                return badblocksLock;
            }

            void badblocksInit() {
                lockdep.register(BADBLOCKS);
                badblocksLock().lock();
                try {
                    badblocks.add(4096L);
                } finally {
                    badblocksLock().unlock();
                }
            }

            /** A namespace probe (asynchronous in Linux) checking the region's badblocks. */
            boolean namespaceProbe() {
                Mutex lock = badblocksLock();
                lock.lock();
                try {
                    return badblocks.isEmpty();
                } finally {
                    lock.unlock();
                }
            }

            /** nd_region_probe(); the child probe is forced to run before the parent goes on. */
            void probe(boolean badblocksFirst) throws Exception {
                if (badblocksFirst) {
                    badblocksInit();
                }
                try {
                    onThread("async_run_entry_fn", this::namespaceProbe);
                } catch (LockdepException e) {
                    probeError = e; // the namespace probe fails
                }
                if (!badblocksFirst) {
                    badblocksInit();
                }
            }
        }

        @Test
        void namespacesRegisteredBeforeBadblocksAreReported() throws Exception {
            Region region = new Region();
            region.probe(false);
            assertEquals(List.of(Kind.UNREGISTERED_CLASS), kinds(lockdep));
            assertEquals("async_run_entry_fn", lockdep.reports().get(0).thread());
            assertEquals(lockdep.reports().get(0), region.probeError.report());
        }

        @Test
        void badblocksBeforeNamespacesIsClean() throws Exception {
            new Region().probe(true);
            assertClean(lockdep);
        }
    }

    @Nested
    class Patch4ReentrantCommandPath {
        final Mutex busList = lockdep.newMutex(BUS_LIST);
        /** The function-static staging buffer, safe only while every ioctl holds the list mutex. */
        final byte[] staticEnvelope = new byte[16];

        byte[] ioctlWithStaticBuffer(byte command) {
            lockdep.assertHeld(busList); // "guarded by nvdimm_bus_list_mutex"
            staticEnvelope[0] = command;
            return staticEnvelope;
        }

        byte[] ioctlWithPerCallBuffer(byte command) {
            byte[] envelope = new byte[16];
            envelope[0] = command;
            return envelope;
        }

        @Test
        void droppingTheListMutexWithoutPerCallBuffersTripsTheAssertion() {
            ioctlWithStaticBuffer((byte) 1); // patch 5 applied without patch 4
            assertEquals(List.of(Kind.NOT_HELD), kinds(lockdep));
        }

        @Test
        void theOldSerialisedPathAndThePerCallBuffersAreClean() {
            busList.lock();
            try {
                ioctlWithStaticBuffer((byte) 1);
            } finally {
                busList.unlock();
            }
            assertEquals(2, ioctlWithPerCallBuffer((byte) 2)[0]);
            assertClean(lockdep);
        }
    }

    /** A bus with its probe and ioctl counters and their wait points. */
    final class Bus {
        final Mutex busList;
        final Mutex lock = lockdep.newMutex(BUS_LOCK);
        final WaitPoint probeIdle = lockdep.newWaitPoint(PROBE_IDLE);
        final WaitPoint ioctlIdle = lockdep.newWaitPoint(IOCTL_IDLE);
        final Condition idle = lock.newCondition(ioctlIdle);
        int ioctlActive;

        Bus(Mutex busList) {
            this.busList = busList;
        }

        /** A probe in flight that needs the bus list (e.g. to look up its bus) before it finishes. */
        void probe() {
            probeIdle.work(() -> {
                busList.lock();
                busList.unlock();
            });
        }

        /** __nd_ioctl() of a command that waits for probes to go idle. */
        void command() {
            probeIdle.beforeWait();
        }

        void ioctlHoldingTheList() {
            busList.lock();
            try {
                command();
            } finally {
                busList.unlock();
            }
        }

        /** Patch 5: find and pin the bus under the list mutex, drop it, run, unpin. */
        void ioctlPinned() {
            busList.lock();
            lock.lock();
            ioctlActive++;
            lock.unlock();
            busList.unlock();
            ioctlIdle.work(() -> {
                command();
                lock.lock();
                try {
                    if (--ioctlActive == 0) {
                        idle.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            });
        }

        /** nd_bus_remove(): unlink under the list mutex, then wait for ioctl_active == 0. */
        void remove() throws InterruptedException {
            busList.lock();
            busList.unlock();
            lock.lock();
            try {
                while (ioctlActive > 0) {
                    idle.await();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Nested
    class Patch5ListMutexAcrossCommand {
        final Mutex busList = lockdep.newMutex(BUS_LIST);

        @Test
        void holdingTheListMutexAcrossAProbeIdleWaitIsReported() {
            Bus bus = new Bus(busList);
            bus.probe();
            bus.ioctlHoldingTheList();
            assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
            assertEquals(List.of("nvdimm_bus.probe_idle", "nvdimm_bus_list_mutex"),
                    lockdep.reports().get(0).lockNames());
        }

        @Test
        void pinningTheBusAndDroppingTheMutexIsClean() throws Exception {
            Bus bus = new Bus(busList);
            bus.probe();
            bus.ioctlPinned();
            bus.remove();
            assertClean(lockdep);
        }

        @Test
        void busRemovalWaitsForIoctlsInFlight() throws Exception {
            Bus bus = new Bus(busList);
            CountDownLatch pinned = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Thread ioctl = new Thread(() -> {
                bus.lock.lock();
                bus.ioctlActive++;
                bus.lock.unlock();
                try {
                    bus.ioctlIdle.work(() -> {
                        pinned.countDown();
                        finish.await();
                        bus.lock.lock();
                        try {
                            bus.ioctlActive--;
                            bus.idle.signalAll();
                        } finally {
                            bus.lock.unlock();
                        }
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ioctl");
            ioctl.start();
            pinned.await();
            Thread remover = new Thread(() -> {
                try {
                    bus.remove();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "remove");
            remover.start();
            while (remover.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            assertTrue(remover.isAlive());
            finish.countDown();
            remover.join();
            ioctl.join();
            assertEquals(0, bus.ioctlActive);
            assertClean(lockdep);
        }
    }

    @Nested
    class Patch6ProbeIdleAbba {
        final Device namespace = new Device(LOCK_NAMESPACE);
        final Bus bus = new Bus(lockdep.newMutex(BUS_LIST));

        /** wait_nvdimm_bus_probe_idle() before the fix: drops only the bus lock while it sleeps. */
        void waitProbeIdleBuggy() {
            bus.lock.unlock();
            bus.probeIdle.beforeWait();
            bus.lock.lock();
        }

        /** After the fix: callers hold the device lock and the bus lock; both are dropped while waiting. */
        void waitProbeIdleFixed(Device dev) {
            assertWaitContract(dev);
            bus.lock.unlock();
            dev.lock.unlock();
            bus.probeIdle.beforeWait();
            dev.lock.lock();
            bus.lock.lock();
        }

        void assertWaitContract(Device dev) {
            lockdep.assertHeld(dev.lock);
            lockdep.assertHeld(bus.lock);
        }

        /** uuid_store() on the namespace: device lock, bus lock, wait for probes. */
        void uuidStore(boolean fixed) {
            namespace.lock.lock();
            bus.lock.lock();
            try {
                if (fixed) {
                    waitProbeIdleFixed(namespace);
                } else {
                    waitProbeIdleBuggy();
                }
            } finally {
                bus.lock.unlock();
                namespace.lock.unlock();
            }
        }

        /** nd_dax probe: an active probe that bounces the backing namespace's device lock. */
        void daxProbe() {
            bus.probeIdle.work(() -> {
                namespace.lock.lock();
                namespace.lock.unlock();
            });
        }

        @Test
        void theBuggyWaitIsReportedFromOneThreadWithoutAnyDeadlock() {
            uuidStore(false);
            assertClean(lockdep);
            daxProbe();
            LockdepReport r = lockdep.reports().get(0);
            assertEquals(Kind.CIRCULAR_DEPENDENCY, r.kind());
            assertEquals(List.of("nd.device_lock/3", "nvdimm_bus.probe_idle"), r.lockNames());
            assertEquals("nvdimm_bus.probe_idle -(SN)-> nd.device_lock/3", r.cycle().get(0).toString());
            assertEquals("nd.device_lock/3 -(EN)-> nvdimm_bus.probe_idle", r.cycle().get(1).toString());
        }

        @Test
        void theOtherOrderIsReportedToo() {
            daxProbe();
            uuidStore(false);
            assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
        }

        @Test
        void theFixedWaitIsClean() {
            uuidStore(true);
            daxProbe();
            uuidStore(true);
            assertClean(lockdep);
        }

        @Test
        void theNewPreconditionIsAsserted() {
            bus.lock.lock();
            try {
                assertWaitContract(namespace); // a caller that forgot the device lock
            } finally {
                bus.lock.unlock();
            }
            assertEquals(List.of(Kind.NOT_HELD), kinds(lockdep));
            assertEquals(List.of("nd.device_lock/3"), lockdep.reports().get(0).lockNames());
        }
    }

    @Nested
    class Patch7ShadowDeviceLock {
        static final LockClass SHADOW = LockClass.of("device.lockdep_mutex");

        /** A device whose real lock (dev->mutex) the validator cannot see; a shadow mirrors it. */
        final class ShadowedDevice {
            final ReentrantLock mutex = new ReentrantLock();
            final ShadowLock shadow;

            ShadowedDevice(int level) {
                shadow = lockdep.newShadowLock(SHADOW, level, mutex::isHeldByCurrentThread);
            }

            void ndDeviceLock() {
                mutex.lock();
                shadow.acquired();
            }

            void ndDeviceUnlock() {
                shadow.releasing();
                mutex.unlock();
            }

            /** The driver core takes the real lock around probe; the bus hook takes the shadow inside. */
            void driverCoreProbe(Runnable driverProbe) {
                mutex.lock();
                try {
                    shadow.acquired();
                    driverProbe.run();
                    shadow.releasing();
                } finally {
                    mutex.unlock();
                }
            }
        }

        ShadowedDevice region;
        ShadowedDevice namespace;

        Patch7ShadowDeviceLock() {
            lockdep.register(SHADOW);
            region = new ShadowedDevice(LOCK_REGION);
            namespace = new ShadowedDevice(LOCK_NAMESPACE);
        }

        /** scrub_show() with Dan Carpenter's bug: an error path released only the real lock. */
        String scrubShow(boolean buggy, boolean error) {
            region.ndDeviceLock();
            if (error) {
                if (buggy) {
                    region.mutex.unlock();
                } else {
                    region.ndDeviceUnlock();
                }
                return "-EBUSY";
            }
            region.ndDeviceUnlock();
            return "0";
        }

        @Test
        void theShadowGivesTheUnvalidatedDeviceLockOrderChecking() throws Exception {
            region.driverCoreProbe(() -> {
                namespace.ndDeviceLock();
                namespace.ndDeviceUnlock();
            });
            assertClean(lockdep);
            onThread("sysfs", () -> {
                namespace.ndDeviceLock();
                region.ndDeviceLock(); // region (2) under namespace (3): the wrong way
                region.ndDeviceUnlock();
                namespace.ndDeviceUnlock();
            });
            assertEquals(List.of(Kind.CIRCULAR_DEPENDENCY), kinds(lockdep));
            assertEquals(List.of("device.lockdep_mutex/2", "device.lockdep_mutex/3"),
                    lockdep.reports().get(0).lockNames());
        }

        @Test
        void anErrorPathThatLeaksTheShadowIsReported() throws Exception {
            scrubShow(true, true);
            lockdep.assertNoneHeld(); // back in the framework
            onThread("other", () -> {
                region.ndDeviceLock();
                region.ndDeviceUnlock();
            });
            assertEquals(List.of(Kind.LOCKS_HELD, Kind.SHADOW_MISMATCH), kinds(lockdep));
            assertTrue(lockdep.reports().get(0).summary().contains("releasing()"));
        }

        @Test
        void theFixedErrorPathIsClean() throws Exception {
            scrubShow(false, true);
            scrubShow(false, false);
            lockdep.assertNoneHeld();
            onThread("other", () -> {
                region.ndDeviceLock();
                region.ndDeviceUnlock();
            });
            assertClean(lockdep);
        }
    }
}
