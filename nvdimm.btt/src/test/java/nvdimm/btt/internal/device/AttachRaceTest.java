package nvdimm.btt.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import nvdimm.bus.DeviceType;
import nvdimm.bus.internal.core.CoreImpl;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.internal.BttTestStack;
import nvdimm.region.internal.BttTestBuses;
import org.junit.jupiter.api.Test;

/**
 * One BTT device per namespace, never a second attempt while one is under way: a format is stopped (a latch)
 * right after it wrote its primary info block, when the namespace already probes as a BTT but its device is not
 * registered yet; the tracker's event for the namespace arrives then and must not try to attach. The negative
 * control removes the reservation: the tracker then does try (a second claim, refused only by the claim).
 */
class AttachRaceTest {
    static final long MIB = 1L << 20;

    /** Runs the interleaving; returns the claim attempts the gated namespace saw. */
    static int claimsDuringFormat(BiFunction<CoreImpl, Lockdep, BttDevices> factory) throws Exception {
        try (BttTestStack stack = new BttTestStack(factory, BttTestBuses.labelLess("r", 32 * MIB))) {
            Namespace real = stack.ops().find("namespace0.0").orElseThrow();
            GatedNamespace gated = new GatedNamespace(real, 4096, 4096); // v1.1: the primary info block at 4 KiB
            CompletableFuture<Void> format = CompletableFuture.runAsync(
                    () -> stack.btt.format(gated, 4096, Optional.empty()));
            assertTrue(gated.reached.await(20, TimeUnit.SECONDS), "the format never wrote its info block");
            assertTrue(BttDevices.probe(real).isPresent(), "the window is real: the namespace probes as a BTT");
            stack.btt.namespaceAdded(gated); // the tracker's event, mid-format
            gated.open.countDown();
            format.get(20, TimeUnit.SECONDS);
            stack.idle();
            assertEquals(1, stack.core.devices().stream().filter(d -> d.type() == DeviceType.BTT).count());
            assertTrue(stack.disk("pmem0s").isPresent());
            assertEquals(List.of(), stack.problems());
            return gated.claims.get();
        }
    }

    @Test
    void theTrackerDoesNotAttachWhileAFormatHoldsTheNamespace() throws Exception {
        assertEquals(1, claimsDuringFormat(BttDevices::new));
    }

    /** Negative control: without the reservation the tracker tries a second attachment. */
    @Test
    void withoutTheReservationTheTrackerTriesASecondAttachment() throws Exception {
        BiFunction<CoreImpl, Lockdep, BttDevices> unreserved = (core, lockdep) -> new BttDevices(core, lockdep) {
            @Override
            boolean reserve(Attachment a) {
                super.reserve(a);
                return true;
            }
        };
        assertEquals(2, claimsDuringFormat(unreserved));
    }
}
