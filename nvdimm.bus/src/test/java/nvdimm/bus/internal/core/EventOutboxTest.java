package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

import org.junit.jupiter.api.Test;

/**
 * The outbox's promise (issue 8, item 7): when {@code drain()} returns on a thread holding no device
 * lock, everything queued before it was posted, even while another thread is the one draining. That is
 * what lets a teardown post REMOVE and UNBIND before anyone waiting for the removal goes on.
 */
class EventOutboxTest extends CoreTestBase {

    /** True once {@code t} has ended, or is parked inside {@code method} of the core. */
    static boolean endedOrParkedIn(Thread t, String method) {
        if (!t.isAlive()) {
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

    static void awaitEndedOrParkedIn(Thread t, String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!endedOrParkedIn(t, method)) {
            assertTrue(System.nanoTime() < deadline, t.getName() + " neither ended nor waited in " + method);
            Thread.sleep(1);
        }
    }

    @Test
    void aDrainWhileAnotherThreadDrainsReturnsOnlyOnceItsEventsArePosted() throws Exception {
        Lockdep off = new Lockdep(LockdepMode.THROW, r -> { });
        LockClasses.register(off);
        List<String> posted = new CopyOnWriteArrayList<>();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventOutbox outbox = new EventOutbox(off, new Publisher() {
            @Override
            public Publication publish(List<Class<?>> types, Object service, Map<String, Object> properties) {
                throw new AssertionError("not used");
            }

            @Override
            public void post(String topic, Map<String, Object> properties) {
                if (topic.equals("first")) {
                    inFirst.countDown();
                    CommandPathTest.await(release);
                }
                posted.add(topic);
            }
        });
        outbox.add("first", Map.of());
        Thread drainer = new Thread(outbox::drain, "drainer");
        drainer.start();
        CommandPathTest.await(inFirst); // the drainer is inside the publisher with "first"
        List<Boolean> postedOnReturn = new CopyOnWriteArrayList<>();
        Thread second = new Thread(() -> {
            outbox.add("second", Map.of());
            outbox.drain();
            postedOnReturn.add(posted.contains("second"));
        }, "second");
        second.start();
        awaitEndedOrParkedIn(second, "drain");
        release.countDown();
        second.join(30_000);
        drainer.join(30_000);
        assertEquals(List.of(true), postedOnReturn, "drain() returned before its event was posted");
        assertEquals(List.of("first", "second"), posted);
    }

    @Test
    void aRemovalCompletesOnlyOnceItsRemoveIsPostedEvenWhileAnotherThreadDrains() throws Exception {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> core.register(region, DeviceType.NAMESPACE_PMEM);
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1));
        idle();
        Device ns = dev("namespace0.0");
        List<Integer> removesSeenAtCompletion = new CopyOnWriteArrayList<>();
        ((DeviceImpl) ns).removed.thenRun(() -> removesSeenAtCompletion.add(publisher.count("REMOVE namespace0.0")));
        CountDownLatch inChange = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        publisher.onPost = entry -> {
            if (entry.equals("CHANGE nmem0")) {
                inChange.countDown();
                CommandPathTest.await(release);
            }
        };
        Thread changer = new Thread(() -> core.notifyChange(dev("nmem0")), "changer");
        changer.start();
        CommandPathTest.await(inChange); // the changer drains, inside the publisher
        Thread remover = new Thread(() -> core.unregister(ns), "remover");
        remover.start();
        awaitEndedOrParkedIn(remover, "drain");
        release.countDown();
        remover.join(30_000);
        changer.join(30_000);
        assertEquals(List.of(1), removesSeenAtCompletion, "the removal completed before REMOVE was posted");
        assertClean();
    }
}
