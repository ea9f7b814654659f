package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepReport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command (ioctl) path, patches 4 and 5 of the 2019 series on the real core: commands are
 * re-entrant, use buffers of their own, pin the bus with an active count rather than holding the bus
 * list lock, and bus removal waits for them to drain. Each protection has a negative control: a core
 * variant without it is caught.
 */
class CommandPathTest extends CoreTestBase {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    Dimm dimm(String name) {
        return core.find(name, Dimm.class).orElseThrow();
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void twoSlowCommandsRunTogetherWhileListingGoesOnAndRemovalWaitsForTheDrain() throws Exception {
        FakeProvider p = provider(FakeProvider.of("emul.0", 2));
        NvdimmBus bus = core.addProvider(p);
        idle();
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger healthCalls = new java.util.concurrent.atomic.AtomicInteger();
        p.commands.hook = name -> {
            if (name.equals("health") && healthCalls.incrementAndGet() <= 2) { // later ones go straight through
                entered.countDown();
                await(release);
            }
        };
        Future<DimmHealth> first = pool.submit(() -> dimm("nmem0").health());
        Future<DimmHealth> second = pool.submit(() -> dimm("nmem1").health());
        assertTrue(entered.await(10, TimeUnit.SECONDS), "both commands should be inside the provider at once");
        assertEquals(2, p.commands.maxInFlight.get());
        assertEquals(2, bus.commandsInFlight());

        // A third thread lists the buses: the list lock is not held across the provider calls.
        assertEquals(List.of(bus), pool.submit(core::buses).get(5, TimeUnit.SECONDS));

        // A fourth removes the bus: it is unlisted at once, then waits for the two commands.
        Thread[] remover = new Thread[1];
        Future<Boolean> removal = pool.submit(() -> {
            remover[0] = Thread.currentThread();
            core.removeProvider(p);
            return Thread.interrupted();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!core.buses().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(List.of(), core.buses());
        NvdimmException late = assertThrows(NvdimmException.class, bus::scrubStatus);
        assertEquals(Errno.ENXIO, late.errno());
        assertThrows(TimeoutException.class, () -> removal.get(200, TimeUnit.MILLISECONDS));
        assertTrue(core.find("nmem0").isPresent(), "children stay until the commands drained");
        assertEquals(2, bus.commandsInFlight());
        // The DIMMs are still registered, but the bus takes no new command: its gate is closed.
        NvdimmException refused = assertThrows(NvdimmException.class, () -> dimm("nmem1").health());
        assertEquals("nmem1: get health: ndbus0 is going away (ENXIO)", refused.getMessage());
        assertEquals(2, bus.commandsInFlight());

        remover[0].interrupt(); // an interrupt does not cut the drain short...
        assertThrows(TimeoutException.class, () -> removal.get(100, TimeUnit.MILLISECONDS));
        release.countDown();
        assertEquals("ok", first.get(10, TimeUnit.SECONDS).healthState());
        assertEquals("ok", second.get(10, TimeUnit.SECONDS).healthState());
        assertTrue(removal.get(10, TimeUnit.SECONDS), "...and is still there afterwards");
        assertEquals(Optional.empty(), core.find("nmem0"));
        assertEquals(List.of(), core.devices());
        assertEquals(0, bus.commandsInFlight());
        assertClean();
    }

    @Test
    void aBusRemovalWaitsForACommandInFlightHoweverLongItTakesAndNeverTearsDownUnderIt() throws Exception {
        core.close();
        core = new CoreImpl(lockdep, publisher, new CoreConfig(2, Duration.ofMillis(20))); // warns every 20 ms
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        NvdimmBus bus = core.addProvider(p);
        idle();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> registeredWhenDone = new java.util.concurrent.CopyOnWriteArrayList<>();
        p.commands.hook = name -> {
            entered.countDown();
            await(release);
            registeredWhenDone.add(core.find("nmem0").isPresent());
        };
        Future<DimmHealth> stuck = pool.submit(() -> dimm("nmem0").health());
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Future<?> removal = pool.submit(() -> core.removeProvider(p));
        // many warning intervals pass: the removal is still waiting, nothing is torn down
        assertThrows(TimeoutException.class, () -> removal.get(500, TimeUnit.MILLISECONDS));
        assertTrue(core.find("nmem0").isPresent());
        release.countDown();
        assertEquals("ok", stuck.get(10, TimeUnit.SECONDS).healthState());
        removal.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(true), registeredWhenDone, "the bus was taken down under the command");
        assertEquals(List.of(), core.devices());
        assertEquals(0, bus.commandsInFlight());
        assertClean();
    }

    /** Two label reads of different DIMMs, each inside the provider until both have transferred. */
    private void overlappingReads(CoreImpl core, FakeProvider p, byte[][] out) throws Exception {
        Arrays.fill(p.commands.labels.get(0), (byte) 0x11);
        Arrays.fill(p.commands.labels.get(1), (byte) 0x22);
        CyclicBarrier bothTransferred = new CyclicBarrier(2);
        p.commands.afterTransfer = name -> {
            try {
                bothTransferred.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError(e);
            }
        };
        Future<?> a = pool.submit(() -> core.find("nmem0", Dimm.class).orElseThrow().readLabelArea(0, out[0], 0, 1024));
        Future<?> b = pool.submit(() -> core.find("nmem1", Dimm.class).orElseThrow().readLabelArea(0, out[1], 0, 1024));
        a.get(20, TimeUnit.SECONDS);
        b.get(20, TimeUnit.SECONDS);
    }

    @Test
    void reEntrantCommandsUseBuffersOfTheirOwn() throws Exception {
        FakeProvider p = provider(FakeProvider.of("emul.0", 2));
        core.addProvider(p);
        idle();
        byte[][] out = {new byte[1024], new byte[1024]};
        overlappingReads(core, p, out);
        byte[] ones = new byte[1024];
        Arrays.fill(ones, (byte) 0x11);
        byte[] twos = new byte[1024];
        Arrays.fill(twos, (byte) 0x22);
        assertArrayEquals(ones, out[0]);
        assertArrayEquals(twos, out[1]);
        assertClean();
    }

    /** Negative control for patch 4: one staging buffer for every command, as the function-static envelope was. */
    static final class SharedBufferCore extends CoreImpl {
        private final byte[] shared = new byte[1 << 20];

        SharedBufferCore(CoreTestBase t) {
            super(t.lockdep, t.publisher, CoreConfig.DEFAULT);
        }

        @Override
        byte[] stagingBuffer(int length) {
            return shared;
        }
    }

    @Test
    void negativeControlASharedStagingBufferMixesTheTwoDimmsData() throws Exception {
        core.close();
        core = new SharedBufferCore(this);
        FakeProvider p = provider(FakeProvider.of("emul.0", 2));
        core.addProvider(p);
        idle();
        byte[][] out = {new byte[1024], new byte[1024]};
        overlappingReads(core, p, out);
        // Both transfers land in the one buffer before either is copied out: one caller gets the other's bytes.
        assertEquals(out[0][0], out[1][0], "both callers got the same DIMM's data");
    }

    /**
     * Negative control for patch 5: an ioctl that holds the bus list lock across itself, as Linux's
     * nd_ioctl held nvdimm_bus_list_mutex across __nd_ioctl, including the label write's wait for probes.
     */
    @Test
    void negativeControlHoldingTheBusListLockAcrossALabelWriteIsReported() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p); // the bus probe lists the bus: probe_idle -> nd.device_lock/0 -> nd_bus.list
        idle();
        // Set Label Data waits for the bus's probes to go idle: with the list lock held, that closes the cycle.
        core.busLifecycle.busListLock.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class,
                    () -> dimm("nmem0").writeLabelArea(0, new byte[8], 0, 8));
            assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, e.report().kind());
            assertTrue(e.report().lockNames().containsAll(List.of("nd_bus.list", "nd_bus.probe_idle")),
                    e.report().lockNames().toString());
        } finally {
            core.busLifecycle.busListLock.unlock();
        }
        assertFalse(((BusImpl) core.buses().get(0)).reconfig.mutex.isHeldByCurrentThread());
    }

    @Test
    void theSameLabelWriteOnTheRealCoreIsClean() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        dimm("nmem0").writeLabelArea(0, new byte[8], 0, 8);
        core.buses();
        assertClean();
    }

    @Test
    void aCommandLeavesNoHoldBehindWhetherItSucceedsOrFails() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        dimm("nmem0").health();
        assertEquals(List.of(), lockdep.heldLocks());
        p.commands.failures.put("health", new NvdimmException(Errno.EIO, "emul.0: DSM failed"));
        assertThrows(NvdimmException.class, () -> dimm("nmem0").health());
        assertEquals(List.of(), lockdep.heldLocks());
        assertClean();
    }

    @Test
    void aProviderThatGoesAwayHoldingALockItsCommandsNeedIsReported() {
        nvdimm.lockdep.LockClass providerLock = nvdimm.lockdep.LockClass.of("emul.state");
        lockdep.register(providerLock);
        nvdimm.lockdep.Mutex state = lockdep.newMutex(providerLock);
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        p.commands.hook = name -> {
            state.lock(); // the provider's command handler takes its own lock
            state.unlock();
        };
        core.addProvider(p);
        idle();
        dimm("nmem0").health();
        // The provider's deactivate holds that lock while its service goes (SCR unbinds on this thread).
        state.lock();
        try {
            LockdepException e = assertThrows(LockdepException.class, () -> core.removeProvider(p));
            assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, e.report().kind());
            assertEquals(List.of("nd_bus.command_idle", "emul.state"), e.report().lockNames());
        } finally {
            state.unlock();
        }
        assertEquals(List.of(), core.devices()); // the teardown still finished
    }
}
