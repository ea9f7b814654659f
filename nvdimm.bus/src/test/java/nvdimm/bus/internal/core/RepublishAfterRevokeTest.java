package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;

import org.junit.jupiter.api.Test;

/**
 * A device disabled while the publication of its binding is still in flight (a driver's services() hook
 * is slow): the disable revokes that publication and returns once it is withdrawn; the binding made by
 * the enable that follows is published, and only it.
 */
class RepublishAfterRevokeTest extends CoreTestBase {

    @Test
    void aDisableWaitsForTheRevokedPublicationAndTheNextBindingIsPublished() throws Exception {
        FakeDriver regions = driver("nd_region", DeviceType.REGION);
        AtomicInteger bindings = new AtomicInteger();
        regions.onProbe = d -> d.setDriverData("binding " + bindings.incrementAndGet());
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        regions.services = d -> {
            String binding = d.driverData(String.class).orElse("none");
            if (calls.getAndIncrement() == 0) {
                inFirst.countDown();
                CommandPathTest.await(release);
            }
            return Map.of(CharSequence.class, binding);
        };
        core.addDriver(regions);
        bring(FakeProvider.of("emul.0", 1)); // region0's probe publishes on a probe thread and stops in services()
        CommandPathTest.await(inFirst);
        Device region = dev("region0");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> disable = other.submit(() -> core.disable(region)); // revokes the publication in flight
            release.countDown();
            disable.get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        assertFalse(publisher.published("region0"), "the disable returned with the first binding withdrawn");
        core.enable(region); // binding 2
        idle();
        assertTrue(region.isEnabled());
        assertEquals(List.of("binding 2"), publisher.publications("region0").stream()
                .map(RecordingPublisher.Published::service).filter(s -> s instanceof String).toList());
        assertClean();
    }
}
