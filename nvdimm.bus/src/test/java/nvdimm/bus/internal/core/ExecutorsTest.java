package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Probes and asynchronous teardowns run on executors of their own, each with a bounded number of
 * threads (issue 8, item 6): slow removes do not starve probes, busy probes do not hold teardowns back.
 */
class ExecutorsTest extends CoreTestBase {
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseAll() {
        release.countDown();
    }

    private FakeDriver[] namespaceDrivers(int namespaces) {
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

    private CompletionStage<Void> deleteAsync(Device ns) {
        try (DeviceCore.Locked held = core.lock(ns)) { // as a sysfs store does
            return core.unregisterAsync(ns);
        }
    }

    @Test
    void slowAsynchronousRemovesDoNotStarveProbes() throws Exception {
        FakeDriver[] drivers = namespaceDrivers(2);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        CountDownLatch inRemove = new CountDownLatch(2);
        List<String> removers = new CopyOnWriteArrayList<>();
        drivers[1].onRemove = ns -> {
            removers.add(Thread.currentThread().getName());
            inRemove.countDown();
            CommandPathTest.await(release);
        };
        CompletionStage<Void> first = deleteAsync(dev("namespace0.0"));
        CompletionStage<Void> second = deleteAsync(dev("namespace0.1"));
        CommandPathTest.await(inRemove); // as many slow removes as there are probe threads
        CountDownLatch probed = new CountDownLatch(1);
        drivers[1].onProbe = ns -> probed.countDown();
        core.register(dev("region0"), DeviceType.NAMESPACE_PMEM, "namespace0.2");
        assertTrue(probed.await(10, TimeUnit.SECONDS), "namespace0.2's probe waited behind the removes");
        release.countDown();
        first.toCompletableFuture().get(10, TimeUnit.SECONDS);
        second.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(removers.stream().allMatch(t -> t.startsWith("nvdimm-teardown-")), removers::toString);
        idle();
        assertClean();
    }

    @Test
    void busyProbesDoNotHoldAnAsynchronousTeardownBack() throws Exception {
        FakeDriver[] drivers = namespaceDrivers(0);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device victim = core.register(dev("region0"), DeviceType.NAMESPACE_IO);
        idle();
        CountDownLatch inProbe = new CountDownLatch(2);
        drivers[1].onProbe = ns -> {
            inProbe.countDown();
            CommandPathTest.await(release);
        };
        core.register(dev("region0"), DeviceType.NAMESPACE_PMEM);
        core.register(dev("region0"), DeviceType.NAMESPACE_PMEM);
        CommandPathTest.await(inProbe); // both probe threads are busy
        CompletionStage<Void> removal = deleteAsync(victim);
        removal.toCompletableFuture().get(10, TimeUnit.SECONDS); // nobody else runs it: its own thread does
        assertEquals(1, publisher.count("REMOVE " + victim.name()));
        release.countDown();
        idle();
        assertClean();
    }
}
