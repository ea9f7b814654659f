package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.LockdepMode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A device's publication racing its teardown (issue 8, item 1): a synchronous service listener blocks
 * inside the registration of {@code namespace0.0}'s service while another thread takes the device down.
 * The teardown must not return, nor the driver's remove() run, before the publisher has withdrawn what
 * it registered; services() is never called after remove().
 */
class PublicationTest extends CoreTestBase {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** "services namespace0.0", "remove namespace0.0", in the order the driver saw them. */
    private final List<String> driverCalls = new CopyOnWriteArrayList<>();
    private final CountDownLatch inRegistration = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private FakeProvider provider;

    @AfterEach
    void stopPool() {
        release.countDown();
        pool.shutdownNow();
    }

    /** nd_region makes namespace0.0; nd_pmem records its services() and remove() calls. */
    private void drivers() {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> core.register(region, DeviceType.NAMESPACE_PMEM);
        FakeDriver pmem = driver("nd_pmem", DeviceType.NAMESPACE_PMEM);
        pmem.services = ns -> {
            driverCalls.add("services " + ns.name());
            return Map.of(Runnable.class, (Runnable) () -> { });
        };
        pmem.onRemove = ns -> driverCalls.add("remove " + ns.name());
        core.addDriver(regions);
        core.addDriver(pmem);
    }

    /** A synchronous service listener that blocks in the registration of namespace0.0's Device service. */
    private void blockRegistrationOfTheNamespace() {
        publisher.onPublish = () -> {
            List<String> t = publisher.timeline();
            if (t.get(t.size() - 1).equals("publish namespace0.0") && inRegistration.getCount() > 0) {
                inRegistration.countDown();
                CommandPathTest.await(release);
            }
        };
    }

    /** True once {@code t} has finished, or is parked in {@code method} of the core. */
    private static boolean finishedOrParkedIn(Thread t, Future<?> f, String method) {
        if (f.isDone()) {
            return true;
        }
        if (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith(CoreImpl.class.getPackageName()) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unregister", "disable", "removeProvider"})
    void aTeardownReturnsOnlyOnceThePublicationInFlightIsWithdrawn(String how) throws Exception {
        drivers();
        blockRegistrationOfTheNamespace();
        provider = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(provider);
        CommandPathTest.await(inRegistration);
        Device ns = dev("namespace0.0");
        Device region = dev("region0");
        Thread[] taker = new Thread[1];
        List<Boolean> publishedOnReturn = new ArrayList<>();
        Future<?> down = pool.submit(() -> {
            taker[0] = Thread.currentThread();
            switch (how) {
                case "unregister" -> core.unregister(ns);
                case "disable" -> core.disable(region);
                default -> core.removeProvider(provider);
            }
            publishedOnReturn.add(publisher.published("namespace0.0"));
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (taker[0] == null || !finishedOrParkedIn(taker[0], down, "awaitSettled")) {
            assertTrue(System.nanoTime() < deadline, "the teardown neither returned nor waited for the publisher");
            Thread.sleep(1);
        }
        release.countDown();
        down.get(30, TimeUnit.SECONDS);
        idle();
        assertEquals(List.of(false), publishedOnReturn, "namespace0.0's services outlived its teardown");
        assertFalse(publisher.published("namespace0.0"));
        int remove = driverCalls.indexOf("remove namespace0.0");
        assertTrue(remove >= 0, driverCalls::toString);
        assertEquals(-1, driverCalls.subList(remove, driverCalls.size()).indexOf("services namespace0.0"),
                () -> "services() after remove(): " + driverCalls);
        assertClean();
    }

    /** An explicit enable of a device a probe elsewhere bound returns only once that probe has published it. */
    @Test
    void anEnableOfADeviceBeingPublishedElsewhereReturnsOnceItIsPublished() throws Exception {
        drivers();
        blockRegistrationOfTheNamespace();
        provider = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(provider);
        CommandPathTest.await(inRegistration); // the probe thread is registering namespace0.0's services
        Device ns = dev("namespace0.0");
        Thread[] enabler = new Thread[1];
        List<Boolean> publishedOnReturn = new ArrayList<>();
        Future<?> enabled = pool.submit(() -> {
            enabler[0] = Thread.currentThread();
            core.enable(ns);
            publishedOnReturn.add(((DeviceImpl) ns).publication.get() instanceof Publication.Published);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (enabler[0] == null || !finishedOrParkedIn(enabler[0], enabled, "awaitSettled")) {
            assertTrue(System.nanoTime() < deadline, "the enable neither returned nor waited for the publisher");
            Thread.sleep(1);
        }
        release.countDown();
        enabled.get(30, TimeUnit.SECONDS);
        idle();
        assertEquals(List.of(true), publishedOnReturn, "enable returned while namespace0.0's publication was in flight");
        assertClean();
    }

    /**
     * The ABBA the management stress test found: destroy-namespace holds the bus's reconfiguration lock and
     * waits for namespace0.0's publication, in which a listener (the BTT bundle's) registers and enables a
     * child. That enable must not wait at the probe gate the reconfiguration holds closed: it leaves the child
     * to its queued probe, the publication ends, the teardown goes on. Before the fix both threads waited for
     * each other (the enable never returned).
     */
    @Test
    void aChildEnabledInsideAPublicationDoesNotWaitForAReconfigurationWaitingForThatPublication() throws Exception {
        drivers();
        FakeDriver btt = driver("nd_btt", DeviceType.BTT);
        core.addDriver(btt);
        CountDownLatch teardownWaiting = new CountDownLatch(1);
        List<String> enableOutcome = new CopyOnWriteArrayList<>();
        publisher.onPublish = () -> {
            List<String> t = publisher.timeline();
            if (t.get(t.size() - 1).equals("publish namespace0.0") && inRegistration.getCount() > 0) {
                Device child = core.register(dev("namespace0.0"), DeviceType.BTT);
                inRegistration.countDown();
                CommandPathTest.await(teardownWaiting);
                try {
                    core.enable(child);
                    enableOutcome.add("returned");
                } catch (RuntimeException e) {
                    enableOutcome.add(e.toString());
                }
            }
        };
        provider = provider(FakeProvider.of("emul.0", 1));
        Future<?> up = pool.submit(() -> core.addProvider(provider));
        CommandPathTest.await(inRegistration);
        Device ns = dev("namespace0.0");
        Thread[] taker = new Thread[1];
        Future<?> down = pool.submit(() -> {
            taker[0] = Thread.currentThread();
            try (var r = ns.bus().lockReconfiguration()) {
                core.disable(ns); // destroy-namespace's first step
            }
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (taker[0] == null || !finishedOrParkedIn(taker[0], down, "awaitSettled")) {
            assertTrue(System.nanoTime() < deadline, "the teardown neither returned nor waited for the publisher");
            Thread.sleep(1);
        }
        teardownWaiting.countDown();
        down.get(30, TimeUnit.SECONDS);
        up.get(30, TimeUnit.SECONDS);
        idle();
        assertEquals(List.of("returned"), enableOutcome);
        assertFalse(dev("namespace0.0").isEnabled());
        assertClean();
    }

    @Test
    void aPublisherThatUnregistersItsOwnDeviceFromInsideTheRegistrationDoesNotDeadlock() {
        drivers();
        List<String> failures = new CopyOnWriteArrayList<>();
        publisher.onPublish = () -> {
            List<String> t = publisher.timeline();
            if (t.get(t.size() - 1).equals("publish namespace0.0") && inRegistration.getCount() > 0) {
                inRegistration.countDown();
                try {
                    core.unregister(dev("namespace0.0")); // a listener on the probe thread deletes it
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        };
        bring(FakeProvider.of("emul.0", 1));
        assertTimeoutPreemptively(Duration.ofSeconds(30), this::idle);
        assertEquals(List.of(), failures);
        assertEquals(List.of("remove namespace0.0"), driverCalls, "services() is not called on a removed device");
        assertFalse(publisher.published("namespace0.0"));
        assertEquals(1, publisher.count("unpublish namespace0.0"));
        assertClean();
    }

    @Test
    void aPublisherThatDisablesAndEnablesItsOwnDeviceFromInsideTheRegistrationPublishesTheNewBinding() {
        drivers();
        publisher.onPublish = () -> {
            List<String> t = publisher.timeline();
            if (t.get(t.size() - 1).equals("publish namespace0.0") && inRegistration.getCount() > 0) {
                inRegistration.countDown();
                Device ns = dev("namespace0.0");
                core.disable(ns); // revokes the publication this very thread has in flight
                core.enable(ns); // the new binding's publication is left to that publisher
            }
        };
        bring(FakeProvider.of("emul.0", 1));
        assertTimeoutPreemptively(Duration.ofSeconds(30), this::idle);
        assertTrue(dev("namespace0.0").isEnabled());
        assertTrue(publisher.published("namespace0.0"));
        assertEquals(List.of("remove namespace0.0", "services namespace0.0"), driverCalls);
        assertEquals(2, publisher.publications("namespace0.0").size());
        assertClean();
    }

    /**
     * The cross-thread form: another thread's teardown of namespace0.0 waits for this publication, and
     * the publisher's listener then unregisters namespace0.0 too. Waiting for that teardown would be
     * waiting for itself; it is refused with EDEADLK, and both go on.
     */
    @Test
    void aPublisherThatWouldWaitForATeardownWaitingForItsPublicationIsRefused() throws Exception {
        drivers();
        List<Errno> refused = new CopyOnWriteArrayList<>();
        CountDownLatch tearing = new CountDownLatch(1);
        publisher.onPublish = () -> {
            List<String> t = publisher.timeline();
            if (t.get(t.size() - 1).equals("publish namespace0.0") && inRegistration.getCount() > 0) {
                inRegistration.countDown();
                CommandPathTest.await(tearing);
                try {
                    core.unregister(dev("namespace0.0"));
                } catch (NvdimmException e) {
                    refused.add(e.errno());
                }
            }
        };
        bring(FakeProvider.of("emul.0", 1));
        CommandPathTest.await(inRegistration);
        Device ns = dev("namespace0.0");
        Thread remover = new Thread(() -> core.unregister(ns), "remover");
        remover.start();
        EventOutboxTest.awaitEndedOrParkedIn(remover, "awaitSettled");
        tearing.countDown();
        remover.join(30_000);
        assertFalse(remover.isAlive(), "the teardown and the publisher wait for each other");
        idle();
        assertEquals(List.of(Errno.EDEADLK), refused);
        assertFalse(publisher.published("namespace0.0"));
        assertEquals(List.of("remove namespace0.0"), driverCalls);
        assertClean();
    }

    @Test
    void publishingUnderADeviceLockIsRefusedInEveryMode() {
        for (LockdepMode mode : LockdepMode.values()) {
            lockdep.setMode(mode);
            lockdep.reset();
            core.addDriver(driver("nd_region", DeviceType.REGION));
            if (core.find("region0").isEmpty()) {
                bring(FakeProvider.of("emul.0", 1));
            }
            idle();
            DeviceImpl region = (DeviceImpl) dev("region0");
            core.unpublish(region);
            try (var held = core.lock(region)) {
                core.publish(region);
            }
            assertFalse(publisher.published("region0"), mode.toString());
            assertEquals(List.of(), publisher.violations, mode.toString());
        }
    }

    @Test
    void waitingForAPublisherUnderADeviceLockIsRefusedWithEdeadlk() throws Exception {
        lockdep.setMode(LockdepMode.OFF);
        drivers();
        blockRegistrationOfTheNamespace();
        bring(FakeProvider.of("emul.0", 1));
        CommandPathTest.await(inRegistration);
        DeviceImpl ns = (DeviceImpl) dev("namespace0.0");
        Consumer<DeviceImpl> unpublish = core::unpublish;
        try (var held = core.lock(dev("region0"))) {
            NvdimmException e = org.junit.jupiter.api.Assertions.assertThrows(NvdimmException.class,
                    () -> unpublish.accept(ns));
            assertEquals(Errno.EDEADLK, e.errno());
        }
        release.countDown();
        idle();
        assertTrue(publisher.published("namespace0.0"), "the refused call revoked the publication anyway");
        assertEquals(List.of("services namespace0.0"), driverCalls);
    }
}
