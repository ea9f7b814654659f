package nvdimm.btt.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.region.LanePolicy;
import nvdimm.region.LanePool;
import nvdimm.region.testing.TestLanes;

/**
 * Lanes under stress (seed 000's regression, ndctl's btt-stress): twelve writers, four readers and two CPU
 * hogs on pools of 1, 2 and 256 lanes, in every validator mode: no compare fails, the BTT throws nothing, the
 * validator reports nothing, and afterwards every internal block is referenced exactly once. Negative
 * controls: a pool that hands one lane to every caller without exclusion corrupts the BTT, deterministically
 * with two writers held at a latch, and under the same stress.
 */
class BttLaneStressTest {

    private static final int WRITERS = 12;
    private static final int READERS = 4;
    private static final int HOGS = 2;
    private static final int ITERATIONS = 150;

    private static Btt btt(Medium medium, LanePool lanes, Lockdep lockdep) {
        Btt.format(medium, BttVersion.V2_0, 512, UUID.randomUUID(), InfoBlock.NIL_UUID);
        return Btt.load("btt0.0", medium, BttVersion.V2_0, Optional.empty(), lanes, lockdep, MediaErrors.NONE);
    }

    @ParameterizedTest(name = "{0} lanes, lockdep {1}")
    @CsvSource({"1, OFF", "1, WARN", "1, THROW", "2, OFF", "2, WARN", "2, THROW", "256, OFF", "256, WARN",
        "256, THROW"})
    void writersReadersAndHogsNeverShareALane(int lanes, LockdepMode mode) throws InterruptedException {
        List<LockdepReport> reports = new CopyOnWriteArrayList<>();
        Lockdep lockdep = new Lockdep(mode, reports::add);
        try (Medium medium = Media.memory("ns", 18L << 20)) {
            Btt btt = btt(medium, TestLanes.pool("region0", lockdep, lanes, LanePolicy.HASH), lockdep);
            LaneStress stress = new LaneStress();
            stress.run(btt, WRITERS, READERS, HOGS, ITERATIONS);
            assertEquals(List.of(), stress.errors);
            assertEquals(0, stress.mismatches.get(), stress.mismatches + " of " + stress.compares + " compares failed: "
                    + stress.examples());
            assertTrue(stress.compares.get() >= (long) WRITERS * ITERATIONS);
            assertEquals(List.of(), btt.consistencyProblems());
            assertEquals(List.of(), reports);
            Btt reloaded = Btt.load("btt0.0", medium, BttVersion.V2_0, Optional.empty(),
                    TestLanes.pool("region1", lockdep, lanes, LanePolicy.HASH), lockdep, MediaErrors.NONE);
            assertEquals(List.of(), reloaded.consistencyProblems());
            assertEquals(0, reloaded.recoveryStores(), "a clean shutdown leaves nothing to roll forward");
        }
    }

    /** The broken pool under the same stress: within a few rounds some compare fails or a block is shared. */
    @Test
    void negativeControlASharedLaneCorruptsUnderStress() throws InterruptedException {
        Lockdep lockdep = new Lockdep(LockdepMode.OFF);
        boolean caught = false;
        for (int round = 0; round < 20 && !caught; round++) {
            try (Medium medium = Media.memory("ns", 18L << 20)) {
                Btt btt = btt(medium, new SharedLanePool(), lockdep);
                LaneStress stress = new LaneStress();
                stress.run(btt, WRITERS, READERS, HOGS, ITERATIONS);
                caught = stress.mismatches.get() > 0 || !stress.errors.isEmpty() || !btt.consistencyProblems().isEmpty();
            }
        }
        assertTrue(caught, "twenty rounds on one unexcluded lane left no trace");
    }

    /**
     * Two writers on one lane, interleaved with latches: A takes the lane's free block and stops before
     * persisting its data; B, given the same lane, writes all of its sector; then A goes on. With the broken
     * pool both LBAs end up on one block and A's LBA reads B's data; with the real pool B waits for A and nothing
     * breaks (run both ways: {@link #theSameInterleavingWithTheRealPoolIsHarmless()}).
     */
    @Test
    void negativeControlTwoWritersOnOneUnexcludedLane() throws InterruptedException {
        Outcome o = interleave(new SharedLanePool());
        assertFalse(o.problems.isEmpty(), "no block referenced twice");
        assertTrue(o.problems.toString().contains("referenced twice"), o.problems.toString());
        // B overwrote A's data in the shared block after A wrote it: A's LBA reads B's sector
        assertArrayEquals(o.b, o.readA, "A's LBA reads B's data");
    }

    @Test
    void theSameInterleavingWithTheRealPoolIsHarmless() throws InterruptedException {
        Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
        Outcome o = interleave(TestLanes.pool("region0", lockdep, 1, LanePolicy.HASH));
        assertEquals(List.of(), o.problems);
        assertArrayEquals(o.a, o.readA);
        assertArrayEquals(o.b, o.readB);
    }

    private record Outcome(List<String> problems, byte[] a, byte[] b, byte[] readA, byte[] readB) {
    }

    private static Outcome interleave(LanePool lanes) throws InterruptedException {
        Lockdep lockdep = new Lockdep(LockdepMode.OFF);
        try (HookedMedium medium = new HookedMedium(Media.memory("ns", 18L << 20))) {
            Btt btt = btt(medium, lanes, lockdep);
            byte[] a = LaneStress.content(512, 1, 1);
            byte[] b = LaneStress.content(512, 2, 2);
            CountDownLatch aHolds = new CountDownLatch(1);
            CountDownLatch bDone = new CountDownLatch(1);
            Thread writerA = Thread.ofPlatform().unstarted(() -> btt.write(1, MemorySegment.ofArray(a)));
            medium.hook = (offset, length) -> {
                if (Thread.currentThread() == writerA && length == 512 && aHolds.getCount() > 0) {
                    aHolds.countDown();
                    try {
                        // B finishes, or (with a real pool) waits for this lane: then A goes on after a while
                        bDone.await(500, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            writerA.start();
            aHolds.await();
            Thread writerB = Thread.ofPlatform().start(() -> {
                btt.write(2, MemorySegment.ofArray(b));
                bDone.countDown();
            });
            writerA.join();
            writerB.join();
            byte[] readA = new byte[512];
            byte[] readB = new byte[512];
            btt.read(1, MemorySegment.ofArray(readA));
            btt.read(2, MemorySegment.ofArray(readB));
            return new Outcome(btt.consistencyProblems(), a, b, readA, readB);
        }
    }
}
