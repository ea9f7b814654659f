package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceState;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.PersistenceDomain;
import nvdimm.region.Region;

import org.junit.jupiter.api.Test;

/**
 * Regions disabled and enabled over and over from several threads while others list them the way
 * {@code ndctl list -R} would and use them (lanes, flush): listing never fails, operations on a region
 * that went away fail with ENXIO only, and afterwards every region is bound once, published once, with
 * its badblocks and namespaces, and the validator has nothing to report.
 */
class DisableEnableCycleTest extends RegionTestBase {
    static final int REGIONS = 6;
    static final int CYCLERS = 4;
    static final int CYCLES = 60;
    static final int LISTERS = 4;

    @Override
    int probeThreads() {
        return 3;
    }

    TestBus bus() {
        TestBus.Builder b = TestBus.builder("emul.0").dimms(5).region(0).region(1, 2).region(3).region(4);
        b.dimmless(1 << 16, PersistenceDomain.UNKNOWN, () -> CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(50, TimeUnit.MICROSECONDS)));
        b.dimmless(1 << 16, PersistenceDomain.CPU_CACHE, null);
        return b.build();
    }

    @Test
    void cyclesUnderConcurrentListing() {
        driver();
        driver.bindNamespaceProvider(new TestNamespaces(core, 2));
        TestNamespaceDriver nsDriver = new TestNamespaceDriver();
        core.addDriver(nsDriver);
        TestBus tb = bus();
        tb.commands.found(new ErrorRecord(tb.region(1).address() + 4096, 1));
        bring(tb);
        idle();
        assertEquals(REGIONS, driver.list().size());

        AtomicBoolean cycling = new AtomicBoolean(true);
        AtomicLong listings = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<String> problems = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CYCLERS + LISTERS);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<Future<?>> cyclers = new ArrayList<>();
            List<Future<?>> listers = new ArrayList<>();
            for (int c = 0; c < CYCLERS; c++) {
                cyclers.add(pool.submit(() -> {
                    for (int i = 0; i < CYCLES; i++) {
                        String name = "region" + ThreadLocalRandom.current().nextInt(REGIONS);
                        try {
                            driver.disable(name);
                            driver.enable(name);
                        } catch (NvdimmException e) {
                            if (e.errno() != Errno.ENXIO) { // ENXIO: disabled by another cycler meanwhile
                                problems.add("cycle " + name + ": " + e.getMessage());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int l = 0; l < LISTERS; l++) {
                listers.add(pool.submit(() -> {
                    while (cycling.get()) {
                        list(problems, refused);
                        listings.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : cyclers) {
                f.get();
            }
            cycling.set(false);
            for (Future<?> f : listers) {
                f.get();
            }
        });
        pool.shutdownNow();
        assertEquals(List.of(), problems);
        assertTrue(listings.get() >= LISTERS, () -> "listings: " + listings);

        for (int k = 0; k < REGIONS; k++) {
            driver.enable("region" + k);
        }
        idle();
        List<Region> published = publisher.services(Region.class);
        assertEquals(REGIONS, published.size(), () -> "published: " + published);
        for (int k = 0; k < REGIONS; k++) {
            Region r = region("region" + k);
            assertTrue(published.contains(r), r::name);
            assertTrue(r.isActive());
            assertSame(r, r.device().driverData(Region.class).orElseThrow());
            assertEquals(2, r.namespaces().size(), r::name);
            for (Device ns : r.namespaces()) {
                assertEquals(DeviceState.ENABLED, ns.state(), ns::name);
            }
        }
        assertEquals(List.of(new nvdimm.region.Badblocks.Range(8, 1)), region("region1").badblocks().ranges());
        assertEquals(List.of(), nsDriver.violations);
        assertClean();
    }

    /** What ndctl list -R reads, plus a lane and a flush; only ENXIO may refuse an operation. */
    void list(List<String> problems, AtomicLong refused) {
        for (Device d : core.devices()) {
            if (d instanceof RegionDevice rd) {
                rd.state();
                rd.probeError().ifPresent(e -> problems.add(rd.name() + " failed its probe: " + e.getMessage()));
            }
        }
        for (Region r : driver.list()) {
            try {
                String line = r.name() + r.size() + r.availableSize() + r.maxAvailableExtent() + r.align()
                        + r.persistenceDomain().sysfs() + r.mappings() + r.cookies() + r.interleaveWays()
                        + r.badblocks().ranges() + r.namespaces() + r.deepFlushNeeded() + r.lanes().count();
                if (line.isEmpty()) {
                    problems.add("empty");
                }
            } catch (RuntimeException e) {
                problems.add("listing " + r.name() + ": " + e);
            }
            try {
                int lane = r.acquireLane();
                try {
                    r.flush();
                } finally {
                    r.releaseLane(lane);
                }
            } catch (NvdimmException e) {
                if (e.errno() == Errno.ENXIO) {
                    refused.incrementAndGet();
                } else {
                    problems.add("using " + r.name() + ": " + e.getMessage());
                }
            }
        }
    }
}
