package nvdimm.region.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.region.Badblocks.Range;
import nvdimm.region.Region;

import org.junit.jupiter.api.Test;

/** Badblocks from scrub results at probe, and the scrub, clear and inject operations. */
class RegionErrorsTest extends RegionTestBase {
    static final long D = TestBus.DIMM_SIZE;
    static final Duration WAIT = Duration.ofSeconds(10);

    TestBus tb;

    Region up(int regions) {
        driver();
        tb = TestBus.qemu("emul.0", regions);
        return upWith(tb);
    }

    Region upWith(TestBus bus) {
        tb = bus;
        if (driver == null) {
            driver();
        }
        bring(bus);
        idle();
        return region("region0");
    }

    long a(int region) {
        return tb.region(region).address();
    }

    @Test
    void theBadblocksAtProbeComeFromTheLastScrubClippedToEachRegion() {
        tb = TestBus.qemu("emul.0", 2);
        tb.commands.found(
                new ErrorRecord(a(0) - 4096, 4096 + 100), // straddles region0's start: sector 0
                new ErrorRecord(a(0) + 1000, 600), // unaligned: sectors 1..3
                new ErrorRecord(a(0) + D - 10, 20), // straddles region0's end: its last sector only
                new ErrorRecord(a(1) + 4096, 512)); // region1's sector 8
        driver();
        upWith(tb);
        assertEquals(List.of(new Range(0, 4), new Range(2047, 1)), region("region0").badblocks().ranges());
        assertEquals(List.of(new Range(8, 1)), region("region1").badblocks().ranges());
        assertClean();
    }

    @Test
    void aProviderWithoutScrubGivesEmptyBadblocksAndAFailingOneToo() {
        tb = TestBus.qemu("emul.0", 1);
        tb.commands.failures.put("scrubStatus", new NvdimmException(Errno.EOPNOTSUPP, "no ARS"));
        Region r = upWith(tb);
        assertTrue(r.badblocks().isEmpty());
        assertTrue(r.isActive());
        core.removeProvider(tb);
        TestBus failing = TestBus.qemu("emul.1", 1);
        failing.commands.failures.put("scrubStatus", new NvdimmException(Errno.EIO, "ARS status failed"));
        Region r2 = upWith(failing);
        assertTrue(r2.badblocks().isEmpty());
        assertTrue(r2.isActive());
        assertClean();
    }

    @Test
    void injectedPoisonShowsUpAfterTheNextScrub() {
        Region r = up(2);
        r.injectError(4096, 512);
        r.injectError(D - 1, 1);
        assertEquals(List.of(), r.badblocks().ranges(), "not before a scrub, as with nfit_test");
        assertEquals(List.of(new Range(8, 1), new Range(2047, 1)), r.injectedErrors());
        publisher.timeline.clear();
        r.startScrub();
        assertEquals(List.of(new Range(8, 1), new Range(2047, 1)), r.waitScrub(WAIT));
        assertEquals(List.of(new Range(8, 1), new Range(2047, 1)), r.badblocks().ranges());
        assertEquals(1, publisher.count("CHANGE region0"));
        assertEquals(List.of(), region("region1").badblocks().ranges(), "region1 was not scrubbed");
        assertEquals(1, tb.commands.scrubbed().size());
        assertEquals(a(0), tb.commands.scrubbed().get(0)[0]);
        assertEquals(D, tb.commands.scrubbed().get(0)[1]);
        r.waitScrub(WAIT); // the same results again: no change, no event
        assertEquals(1, publisher.count("CHANGE region0"));
        assertClean();
    }

    @Test
    void clearingRemovesWholeSectorsAndSurvivesDisableAndEnable() {
        Region r = up(1);
        r.injectError(4096, 1024); // sectors 8 and 9
        r.injectError(8192, 100); // sector 16
        r.startScrub();
        assertEquals(List.of(new Range(8, 2), new Range(16, 1)), r.waitScrub(WAIT));
        publisher.timeline.clear();
        assertEquals(512, r.clearErrors(4096, 512));
        assertEquals(List.of(new Range(9, 1), new Range(16, 1)), r.badblocks().ranges());
        assertEquals(1, publisher.count("CHANGE region0"));
        assertEquals(100, r.clearErrors(8192 + 10, 100)); // not a whole sector: stays listed
        assertEquals(List.of(new Range(9, 1), new Range(16, 1)), r.badblocks().ranges());
        assertEquals(1, publisher.count("CHANGE region0"));
        driver.disable("region0");
        Region again = driver.enable("region0");
        assertEquals(List.of(new Range(9, 1), new Range(16, 1)), again.badblocks().ranges(),
                "sector 8 stays clear: the provider dropped it from its results");
        assertEquals(1024, again.clearErrors(4096, 1024));
        assertEquals(List.of(new Range(16, 1)), again.badblocks().ranges());
        assertClean();
    }

    @Test
    void uninjectingForgetsTheWholeSectorsToo() {
        Region r = up(1);
        r.injectError(0, 2048);
        r.startScrub();
        r.waitScrub(WAIT);
        r.uninjectError(512, 1024);
        assertEquals(List.of(new Range(0, 1), new Range(3, 1)), r.badblocks().ranges());
        assertEquals(List.of(new Range(0, 1), new Range(3, 1)), r.injectedErrors());
    }

    @Test
    void rangesAreCheckedBeforeAnyCommand() {
        Region r = up(1);
        int before = tb.commands.calls.size();
        for (Runnable bad : List.<Runnable>of(() -> r.clearErrors(-1, 512), () -> r.injectError(0, 0),
                () -> r.uninjectError(0, -5))) {
            assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, bad::run).errno());
        }
        for (Runnable bad : List.<Runnable>of(() -> r.clearErrors(D - 511, 512), () -> r.injectError(D, 1),
                () -> r.uninjectError(Long.MAX_VALUE, 1))) {
            NvdimmException e = assertThrows(NvdimmException.class, bad::run);
            assertEquals(Errno.ENXIO, e.errno());
            assertTrue(e.getMessage().contains("beyond the region's " + D + " bytes"), e.getMessage());
        }
        assertEquals(before, tb.commands.calls.size());
    }

    @Test
    void providerErrorsPassThroughUnchanged() {
        Region r = up(1);
        NvdimmException enomem = new NvdimmException(Errno.ENOMEM, "emul.0: clear_error: no memory");
        tb.commands.failures.put("clearError", enomem);
        assertSame(enomem, assertThrows(NvdimmException.class, () -> r.clearErrors(0, 512)));
        NvdimmException eio = new NvdimmException(Errno.EIO, "emul.0: ARS status failed");
        tb.commands.failures.put("scrubStatus", eio);
        assertSame(eio, assertThrows(NvdimmException.class, () -> r.waitScrub(WAIT)));
        tb.commands.failures.clear();
        r.startScrub();
        assertEquals(Errno.EBUSY, assertThrows(NvdimmException.class, r::startScrub).errno(),
                "the provider refuses a second scrub");
    }

    @Test
    void waitingForAScrubThatDoesNotEndTimesOut() {
        Region r = up(1);
        tb.commands.scrubPolls = Integer.MAX_VALUE;
        r.startScrub();
        NvdimmException e = assertThrows(NvdimmException.class, () -> r.waitScrub(Duration.ofMillis(30)));
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertEquals("region0: the scrub of ndbus0 is still running after 30 ms (ETIMEDOUT)", e.getMessage());
    }

    @Test
    void anInterruptedWaitIsEintr() {
        Region r = up(1);
        tb.commands.scrubPolls = Integer.MAX_VALUE;
        r.startScrub();
        Thread.currentThread().interrupt();
        try {
            assertEquals(Errno.EINTR, assertThrows(NvdimmException.class, () -> r.waitScrub(WAIT)).errno());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------------ bus scrubs

    @Test
    void aBusScrubCoversEveryRegionInTurnAndFillsTheirBadblocks() {
        Region r0 = up(3);
        r0.injectError(512, 512);
        region("region2").injectError(1024, 1);
        tb.commands.scrubPolls = 3;
        driver.startScrub("ndbus0");
        assertEquals(Errno.EBUSY, assertThrows(NvdimmException.class, () -> driver.startScrub("ndbus0")).errno());
        driver.waitScrub("ndbus0", WAIT);
        assertEquals(List.of(new Range(1, 1)), r0.badblocks().ranges());
        assertEquals(List.of(), region("region1").badblocks().ranges());
        assertEquals(List.of(new Range(2, 1)), region("region2").badblocks().ranges());
        List<long[]> scrubbed = tb.commands.scrubbed();
        assertEquals(List.of(a(0), a(1), a(2)), scrubbed.stream().map(s -> s[0]).toList());
        driver.startScrub("ndbus0"); // the last one is done: a new one may start
        driver.waitScrub("ndbus0", WAIT);
        assertEquals(6, tb.commands.scrubbed().size());
        assertClean();
    }

    @Test
    void aBusScrubWaitsForSomeoneElsesScrubBeforeStartingItsOwn() {
        Region r0 = up(1);
        r0.injectError(0, 1);
        tb.commands.scrubPolls = 5;
        r0.startScrub();
        driver.startScrub("ndbus0");
        driver.waitScrub("ndbus0", WAIT);
        assertEquals(2, tb.commands.scrubbed().size());
        assertTrue(tb.commands.calls.stream().filter("startScrub"::equals).count() >= 3,
                () -> "the refused start was retried: " + tb.commands.calls);
        assertEquals(List.of(new Range(0, 1)), r0.badblocks().ranges());
    }

    @Test
    void aFailedBusScrubIsReportedToTheNextWaiterWithItsErrno() {
        up(1);
        NvdimmException enomem = new NvdimmException(Errno.ENOMEM, "emul.0: ars_start: no memory");
        tb.commands.failures.put("startScrub", enomem);
        driver.startScrub("ndbus0");
        assertSame(enomem, assertThrows(NvdimmException.class, () -> driver.waitScrub("ndbus0", WAIT)));
        driver.waitScrub("ndbus0", WAIT); // reported once; now it polls the (idle) bus
    }

    @Test
    void aBusScrubThatIsStillRunningTimesOutAndStopsWithTheDriver() {
        up(1);
        tb.commands.scrubPolls = Integer.MAX_VALUE;
        driver.startScrub("ndbus0");
        NvdimmException e = assertThrows(NvdimmException.class, () -> driver.waitScrub("ndbus0", Duration.ofMillis(20)));
        assertEquals(Errno.ETIMEDOUT, e.errno());
        driver.deactivate();
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class, () -> driver.startScrub("ndbus0")).errno());
    }

    @Test
    void waitingWithoutABusScrubPollsTheBusAndAddsItsResults() {
        Region r0 = up(2);
        r0.injectError(0, 512);
        region("region1").injectError(D - 512, 512);
        r0.startScrub();
        driver.waitScrub("ndbus0", WAIT);
        assertEquals(List.of(new Range(0, 1)), r0.badblocks().ranges());
        assertEquals(List.of(), region("region1").badblocks().ranges(), "only region0's range was scrubbed");
    }

    @Test
    void aBusScrubTouchesOnlyTheRegionsOfItsBus() {
        Region r0 = up(1);
        TestBus other = TestBus.qemu("emul.1", 1); // the same addresses as emul.0's (test buses overlap)
        bring(other);
        idle();
        Region r1 = region("region1");
        assertEquals(r0.address(), r1.address());
        r0.injectError(0, 512);
        driver.startScrub("ndbus0");
        driver.waitScrub("ndbus0", WAIT);
        assertEquals(List.of(new Range(0, 1)), r0.badblocks().ranges());
        assertEquals(List.of(), r1.badblocks().ranges(), "ndbus0's results are not ndbus1's");
    }

    @Test
    void aScrubThreadKilledByAnErrorFailsItsWaitersWithEio() {
        up(1);
        tb.commands.hook = name -> {
            if (name.equals("startScrub")) {
                throw new AssertionError("provider bug");
            }
        };
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> { });
        try {
            driver.startScrub("ndbus0");
            NvdimmException e = assertThrows(NvdimmException.class, () -> driver.waitScrub("ndbus0", WAIT));
            assertEquals(Errno.EIO, e.errno());
            assertEquals("ndbus0: scrub thread died (EIO)", e.getMessage());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void aBusScrubGivesUpAfterThreeBusyRefusals() {
        up(1);
        tb.commands.failures.put("startScrub", new NvdimmException(Errno.EBUSY, "emul.0: ars_start: busy"));
        driver.startScrub("ndbus0");
        NvdimmException e = assertThrows(NvdimmException.class, () -> driver.waitScrub("ndbus0", WAIT));
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals(BusScrubs.START_ATTEMPTS, tb.commands.calls.stream().filter("startScrub"::equals).count());
    }

    @Test
    void aWaitForABusScrubCanBeInterrupted() {
        up(1);
        tb.commands.scrubPolls = Integer.MAX_VALUE;
        driver.startScrub("ndbus0");
        Thread.currentThread().interrupt();
        try {
            assertEquals(Errno.EINTR, assertThrows(NvdimmException.class, () -> driver.waitScrub("ndbus0", WAIT)).errno());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void stoppingTheDriverEndsItsScrubThreadsAndForgetsThem() throws Exception {
        up(1);
        tb.commands.scrubPolls = Integer.MAX_VALUE;
        driver.startScrub("ndbus0");
        assertTrue(scrubThreadAlive());
        driver.deactivate();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (scrubThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(!scrubThreadAlive(), "the scrub thread ended");
        // forgotten: a wait polls the bus (whose scrub still runs) instead of reporting the interrupted job
        assertEquals(Errno.ETIMEDOUT,
                assertThrows(NvdimmException.class, () -> driver.waitScrub("ndbus0", Duration.ofMillis(20))).errno());
    }

    private static boolean scrubThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("nvdimm-scrub-ndbus0") && t.isAlive());
    }

    @Test
    void waitingPollsWithAGrowingPauseNotABusyLoop() {
        Region r = up(1);
        tb.commands.scrubPolls = Integer.MAX_VALUE;
        r.startScrub();
        int before = tb.commands.calls.size();
        assertThrows(NvdimmException.class, () -> r.waitScrub(Duration.ofMillis(300)));
        long polls = tb.commands.calls.size() - before;
        // 1, 2, 4, ... 50 ms: about 12 polls in 300 ms
        assertTrue(polls >= 5 && polls <= 30, () -> polls + " status polls in 300 ms");
    }
}
