package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.internal.labels.LabeledNamespace;

import org.junit.jupiter.api.Test;

/**
 * Concurrent creations on one region never overlap: a deterministic interleaving (the second creation
 * starts while the first is inside its label write) with its negative control (the serialisation replaced
 * by a double that takes no lock: the two pick the same extent), and a stress of several creators.
 */
class ConcurrentCreateTest extends NamespaceTestBase {

    /** Runs the interleaving; returns the two created namespaces' infos (null for a failure). */
    private List<NamespaceInfo> interleave() throws InterruptedException {
        CountDownLatch aInWrite = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        labels.beforeWrite = region -> {
            if (first.compareAndSet(true, false)) {
                aInWrite.countDown();
                await(releaseA);
            }
        };
        AtomicReference<NamespaceInfo> a = new AtomicReference<>();
        AtomicReference<NamespaceInfo> b = new AtomicReference<>();
        Thread ta = new Thread(() -> a.set(namespaces.create(spec("region0", 16 * MIB))), "creator-a");
        ta.start();
        await(aInWrite);
        Thread tb = new Thread(() -> b.set(namespaces.create(spec("region0", 16 * MIB))), "creator-b");
        tb.start();
        // B either finishes (no serialisation) or parks on the lock A holds: no time limit, just the state
        while (tb.isAlive() && tb.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        releaseA.countDown();
        ta.join();
        tb.join();
        labels.beforeWrite = r -> { };
        return java.util.Arrays.asList(a.get(), b.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Long> offsets() {
        return labels.labeled("region0").namespaces.values().stream().map(LabeledNamespace::regionOffset).sorted()
                .toList();
    }

    @Test
    void aCreationThatStartsWhileAnotherWritesItsLabelsWaitsAndTakesTheNextExtent() throws InterruptedException {
        start(standardBus());
        List<NamespaceInfo> made = interleave();
        assertNotEquals(null, made.get(0));
        assertNotEquals(null, made.get(1));
        assertEquals(List.of(0L, 16 * MIB), offsets());
        assertEquals(32 * MIB, region("region0").availableSize());
        assertEquals(3, namespaces.list().stream().filter(i -> i.region().equals("region0")).count());
        assertClean();
    }

    @Test
    void negativeControlWithoutSerialisationBothTakeTheSameExtent() throws InterruptedException {
        start(standardBus());
        namespaces.ops.serialisation = (region, body) -> body.get();
        interleave();
        assertFalse(labels.violations.isEmpty(), "the two creations did not overlap without the locks");
        assertEquals(List.of(0L, 0L), offsets());
    }

    @Test
    void manyCreatorsFillTheRegionWithoutOverlap() throws InterruptedException {
        start(standardBus());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                await(go);
                for (;;) {
                    try {
                        namespaces.create(spec("region0", 4 * MIB));
                    } catch (NvdimmException e) {
                        if (e.errno() != Errno.ENOSPC) {
                            failures.add(e);
                        }
                        return;
                    } catch (RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), failures);
        List<Long> offs = offsets();
        assertEquals(15, offs.size()); // 16 slots, one kept free
        for (int i = 0; i < offs.size(); i++) {
            assertEquals(i * 4 * MIB, offs.get(i));
        }
        assertEquals(4 * MIB, region("region0").availableSize());
        assertTrue(namespaces.list().stream().filter(i -> i.region().equals("region0") && !i.seed())
                .allMatch(NamespaceInfo::enabled));
        assertClean();
    }
}
