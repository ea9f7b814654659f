package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.region.Badblocks.Range;
import nvdimm.region.Region;

import org.junit.jupiter.api.Test;

/**
 * Seed 001, patch 3/7 ("Register badblocks before namespaces"): a namespace must never see its region
 * without the region's badblocks. Checked by two observers across many concurrent probes: a listener of
 * the namespaces' ADD events and publications (which runs on whatever thread posts them), and the
 * namespace driver's probe (which runs on the core's probe threads). The negative control reverses the
 * driver's order and must be caught by both.
 */
class BadblocksOrderingTest extends RegionTestBase {
    static final int REGIONS = 16;
    static final int NAMESPACES = 3;

    final List<String> listenerViolations = new CopyOnWriteArrayList<>();
    final TestNamespaceDriver nsDriver = new TestNamespaceDriver();
    TestBus tb;

    @Override
    int probeThreads() {
        return 4;
    }

    /** Region k has one bad sector: sector k. */
    static List<Range> expected(String region) {
        return List.of(new Range(Integer.parseInt(region.substring("region".length())) % REGIONS, 1));
    }

    TestNamespaces namespaces;

    void setUp(RegionDriver d) {
        driver = d;
        core.addDriver(d);
        namespaces = new TestNamespaces(core, NAMESPACES);
        d.bindNamespaceProvider(namespaces);
        nsDriver.expected = BadblocksOrderingTest::expected;
        core.addDriver(nsDriver);
        publisher.onPost = (action, dev) -> {
            if (action.equals("ADD") && dev.startsWith("namespace")) {
                observe("ADD " + dev, dev);
            }
        };
        publisher.onPublish = p -> {
            if (p.dev().startsWith("namespace")) {
                observe("publish " + p.dev(), p.dev());
            }
        };
        tb = newBus();
    }

    TestBus newBus() {
        TestBus b = TestBus.qemu("emul.0", REGIONS);
        ErrorRecord[] found = new ErrorRecord[REGIONS];
        for (int k = 0; k < REGIONS; k++) {
            found[k] = new ErrorRecord(b.region(k).address() + 512L * k, 1);
        }
        b.commands.found(found);
        return b;
    }

    private void observe(String what, String dev) {
        Device ns = core.find(dev).orElse(null);
        if (ns == null) {
            return; // already gone again
        }
        Region region = ns.parent().orElseThrow().driverData(Region.class).orElse(null);
        if (region == null) {
            if (ns.state() != DeviceState.DEAD) {
                listenerViolations.add(what + ": no region");
            }
            return;
        }
        List<String> found = new ArrayList<>();
        TestNamespaceDriver.check(what, region, found, expected(region.name()));
        // A namespace that died meanwhile proves nothing: the region may have been rebound after it went
        // (a late event names it). A live namespace always belongs to its region's current binding.
        if (ns.state() != DeviceState.DEAD) {
            listenerViolations.addAll(found);
        }
    }

    /** The regions named in violations. */
    static Set<String> regionsIn(List<String> violations) {
        Set<String> out = new TreeSet<>();
        for (String v : violations) {
            int at = v.indexOf("region");
            out.add(v.substring(at, v.indexOf(':', at)));
        }
        return out;
    }

    static Set<String> allRegions() {
        Set<String> out = new TreeSet<>();
        for (int k = 0; k < REGIONS; k++) {
            out.add("region" + k);
        }
        return out;
    }

    @Test
    void noNamespaceEverSeesItsRegionWithoutBadblocks() throws Exception {
        setUp(new RegionDriver(lockdep, core, RegionDriver.Settings.DEFAULT));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            bring(tb);
            idle();
            for (int round = 0; round < 3; round++) { // the whole bus again: 16 asynchronous region probes
                core.removeProvider(tb);
                tb = newBus();
                bring(tb);
                idle();
            }
            churn(8, 6);
            idle();
        });
        assertEquals(List.of(), listenerViolations);
        assertEquals(List.of(), nsDriver.violations);
        assertTrue(nsDriver.probed.size() >= 4 * REGIONS * NAMESPACES, () -> "probes: " + nsDriver.probed.size());
        for (int k = 0; k < REGIONS; k++) {
            Region r = region("region" + k);
            assertEquals(expected(r.name()), r.badblocks().ranges());
            assertEquals(NAMESPACES, r.namespaces().size());
            for (Device ns : r.namespaces()) {
                assertEquals(DeviceState.ENABLED, ns.state(), ns::name);
            }
        }
        assertClean();
    }

    /** {@code threads} threads each disable and enable every region {@code rounds} times, in their own order. */
    void churn(int threads, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        for (int i = 0; i < REGIONS; i++) {
                            String name = "region" + ((i * 7 + seed * 3 + round) % REGIONS);
                            try {
                                if ((seed + round) % 2 == 0) {
                                    driver.disable(name);
                                }
                                driver.enable(name);
                            } catch (NvdimmException e) {
                                // ENXIO: another thread disabled it while this one enabled it
                                assertEquals(nvdimm.bus.Errno.ENXIO, e.errno(), e::getMessage);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int k = 0; k < REGIONS; k++) {
            driver.enable("region" + k);
        }
    }

    /**
     * The 2019 bug: namespaces first, badblocks after (a probe may run in between, as it sometimes did).
     * The namespaces are registered past the region's own guard, which would refuse them (EAGAIN).
     */
    static final class NamespacesFirstDriver extends RegionDriver {
        final Map<String, CountDownLatch> namespaceProbed = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> namespaceAnnounced = new ConcurrentHashMap<>();
        private final BadblocksOrderingTest test;

        NamespacesFirstDriver(BadblocksOrderingTest test) {
            super(test.lockdep, test.core, Settings.DEFAULT);
            this.test = test;
        }

        static CountDownLatch latch(Map<String, CountDownLatch> latches, String region) {
            return latches.computeIfAbsent(region, r -> new CountDownLatch(1));
        }

        @Override
        void settle(RegionBinding region) {
            test.namespaces.enumerate(region);
            // the namespace's ADD event goes out (on this thread or on the one draining the events) ...
            await(latch(namespaceAnnounced, region.name()));
            if (!Thread.currentThread().getName().startsWith("nvdimm-probe-")) {
                // ... and, on a caller's thread (enable), its asynchronous probe runs too
                await(latch(namespaceProbed, region.name()));
            }
            populateBadblocks(region);
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void negativeControlNamespacesBeforeBadblocksAreCaughtByTheListenerAndTheNamespaceProbe() throws Exception {
        NamespacesFirstDriver buggy = new NamespacesFirstDriver(this);
        setUp(buggy);
        namespaces.direct = true;
        nsDriver.afterProbe = name -> NamespacesFirstDriver.latch(buggy.namespaceProbed, name).countDown();
        publisher.onPost = (action, dev) -> {
            if (action.equals("ADD") && dev.startsWith("namespace")) {
                observe("ADD " + dev, dev);
                NamespacesFirstDriver.latch(buggy.namespaceAnnounced, "region" + dev.substring(9, dev.indexOf('.')))
                        .countDown();
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            bring(tb);
            idle();
        });
        assertEquals(allRegions(), regionsIn(listenerViolations),
                "every region's namespaces were announced before its badblocks existed");
        assertTrue(listenerViolations.get(0).contains("badblocks are not populated yet"), listenerViolations::toString);

        // enabled from callers' threads, the namespaces' probes run before the badblocks are there
        for (int k = 0; k < REGIONS; k++) {
            driver.disable("region" + k);
        }
        nsDriver.violations.clear();
        ExecutorService pool = Executors.newFixedThreadPool(REGIONS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < REGIONS; k++) {
                String name = "region" + k;
                buggy.namespaceProbed.remove(name);
                buggy.namespaceAnnounced.remove(name);
                done.add(pool.submit(() -> driver.enable(name)));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        idle();
        assertEquals(allRegions(), regionsIn(nsDriver.violations), nsDriver.violations::toString);
    }

    @Test
    void aNamespaceRegisteredByHandIsRefusedWhileTheRegionIsDisabled() {
        setUp(new RegionDriver(lockdep, core, RegionDriver.Settings.DEFAULT));
        bring(tb);
        idle();
        Device region = dev("region3");
        driver.disable("region3");
        NvdimmException e = org.junit.jupiter.api.Assertions.assertThrows(NvdimmException.class,
                () -> core.register(region, DeviceType.NAMESPACE_IO));
        assertEquals(nvdimm.bus.Errno.ENXIO, e.errno());
    }

    // ------------------------------------------------------------------ a slow provider and a rebinding

    /**
     * The first binding's namespace provider is slow; meanwhile the region is disabled. The core makes
     * the disable wait for that binding's publication (the provider runs inside it) to settle, so the
     * first provider goes on only into a region being unbound, and the next binding exists only after.
     *
     * @return the violations the namespace probes found
     */
    List<String> staleProviderAgainstANewBinding(boolean direct) throws Exception {
        driver();
        TestNamespaces slow = new TestNamespaces(core, 1);
        slowProvider = slow;
        slow.direct = direct;
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        slow.hook = r -> {
            if (calls.getAndIncrement() == 0) {
                inFirst.countDown();
                awaitOrFail(releaseFirst);
            }
        };
        driver.bindNamespaceProvider(slow);
        nsDriver.expected = name -> List.of(new Range(0, 1));
        core.addDriver(nsDriver);
        tb = TestBus.qemu("emul.0", 1);
        tb.commands.found(new ErrorRecord(tb.region(0).address(), 1));
        bring(tb); // region0's probe thread stops in the provider, after the badblocks of binding 1
        awaitOrFail(inFirst);
        Thread disabler = new Thread(() -> driver.disable("region0"), "disabler");
        disabler.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!waitsForThePublication(disabler)) { // the core holds the disable (and binding 2) back
            assertTrue(System.nanoTime() < deadline && disabler.isAlive(), "the disable did not wait for the publication");
            Thread.sleep(1);
        }
        releaseFirst.countDown(); // the first provider goes on registering, into a region being unbound
        disabler.join(10_000);
        assertTrue(!disabler.isAlive());
        driver.enable("region0");
        idle();
        assertEquals(1, region("region0").namespaces().size(), "binding 2 enumerated its own namespace only");
        assertEquals(List.of(region("region0")), publisher.services(Region.class));
        return List.copyOf(nsDriver.violations);
    }

    /** Whether {@code t} is parked in the core's wait for a publication in flight to settle. */
    static boolean waitsForThePublication(Thread t) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("awaitSettled")) {
                return true;
            }
        }
        return false;
    }

    static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aSlowProviderCannotRegisterIntoALaterBindingWhoseBadblocksAreNotThereYet() throws Exception {
        List<String> violations = staleProviderAgainstANewBinding(false);
        assertEquals(List.of(), violations);
        assertEquals("region0: refused ENXIO", namespacesOutcome());
        assertClean();
    }

    @Test
    void aStaleProviderRegisteringPastTheRegionsGuardIsRefusedByTheCore() throws Exception {
        // Before the core waited for publications in flight, this landed in binding 2 before its
        // badblocks ("badblocks are not populated yet"); now binding 2 cannot exist yet.
        List<String> violations = staleProviderAgainstANewBinding(true);
        assertEquals(List.of(), violations);
        assertEquals("region0: refused ENXIO", namespacesOutcome());
    }

    TestNamespaces slowProvider;

    String namespacesOutcome() {
        return slowProvider.outcomes.get(0);
    }
}
