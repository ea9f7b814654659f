package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;

import org.junit.jupiter.api.Test;

/**
 * A device disabled and enabled again while the publication of its previous binding is still in flight
 * (a driver's services() hook is slow): the unbind revokes that publication, and the new binding's
 * publication, which finds it revoked but not yet withdrawn, must not be lost.
 */
class RepublishAfterRevokeTest extends CoreTestBase {

    @Test
    void aBindingMadeWhileTheLastOnesPublicationIsInFlightIsPublishedOnceThatOneWithdraws() {
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
        core.disable(region); // revokes the publication in flight
        core.enable(region); // binding 2, whose publication finds the first one revoked but not withdrawn
        release.countDown();
        idle();
        assertTrue(region.isEnabled());
        assertTrue(publisher.published("region0"), "the second binding is published");
        assertEquals(List.of("binding 2"), publisher.publications("region0").stream()
                .map(RecordingPublisher.Published::service).filter(s -> s instanceof String).toList());
        assertEquals(2, calls.get());
        assertClean();
    }
}
