package nvdimm.emul.internal;

import static nvdimm.emul.internal.Fixtures.assertErrno;
import static nvdimm.emul.internal.Fixtures.cfg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nvdimm.bus.Errno;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.emul.EmulCommand;
import nvdimm.emul.FaultInjector;
import nvdimm.emul.FaultState;
import nvdimm.lockdep.Lockdep;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EmulCommandsTest {

    private static final long SPA = 1L << 36;
    private static final long GIB = 1L << 30;

    private final Lockdep lockdep = Fixtures.lockdep();
    private final Fixtures.Clock clock = new Fixtures.Clock();
    private EmulBus bus;
    private CommandHandler cmd;
    private DimmDescriptor d0;
    private DimmDescriptor d2;

    /** Region 0: DIMMs 0+1 (labels), 128 KiB at SPA; region 1: DIMM 2 (no labels), 64 KiB at SPA + 1 GiB. */
    @BeforeEach
    void setUp() {
        bus = ConfiguredBus.open(ConfigParser.parse(cfg("nvdimm.emul~c", """
                dimms = 3
                dimm.size = 64K
                label.size = 128K,128K,0
                regions = 0+1,2
                backing = memory
                label.max.transfer = 1000
                """)), null, SPA, lockdep, clock::nanoTime);
        cmd = bus.commands();
        d0 = bus.dimms().get(0);
        d2 = bus.dimms().get(2);
    }

    @AfterEach
    void tearDown() {
        bus.close();
    }

    @Test
    void labelSizeInfoGivesTheAreaAndTheMaximumTransfer() {
        assertEquals(new LabelAreaInfo(131072, 1000), cmd.labelAreaInfo(d0));
        assertEquals(new LabelAreaInfo(0, 1000), cmd.labelAreaInfo(d2));
    }

    @Test
    void labelDataRoundTripsInTheDimmsLabelAreaOnly() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 1);
        }
        cmd.writeLabelArea(d0, 131072 - 1000, data, 0, 1000);
        byte[] back = new byte[1000];
        cmd.readLabelArea(d0, 131072 - 1000, back, 0, 1000);
        assertArrayEquals(data, back);
        EmulDimm dimm0 = bus.emulDimms().getFirst();
        byte[] raw = new byte[1000];
        dimm0.medium().read(65536 + 131072 - 1000, raw);
        assertArrayEquals(data, raw, "the label area follows the DIMM's 64 KiB of persistent memory");
        byte[] other = new byte[1000];
        cmd.readLabelArea(bus.dimms().get(1), 131072 - 1000, other, 0, 1000);
        assertArrayEquals(new byte[1000], other, "DIMM 1's label area is its own");
        assertEquals(0, bus.regions().getFirst().medium().readLong(0), "persistent memory untouched");

        byte[] part = new byte[10];
        cmd.readLabelArea(d0, 131072 - 1000 + 5, part, 3, 7);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, 12), java.util.Arrays.copyOfRange(part, 3, 10));
        cmd.writeLabelArea(d0, 131072, new byte[0], 0, 0);
        cmd.readLabelArea(d2, 0, new byte[0], 0, 0);
    }

    @Test
    void labelCommandsRefuseBadTransfersWithoutTouchingTheArea() {
        byte[] big = new byte[1001];
        java.util.Arrays.fill(big, (byte) 7);
        assertErrno(Errno.EINVAL, () -> cmd.writeLabelArea(d0, 0, big, 0, 1001),
                "emul.c: set_config_data on DIMM 0x0: 1001 bytes exceed the maximum transfer of 1000");
        assertErrno(Errno.EINVAL, () -> cmd.readLabelArea(d0, 0, big, 0, 1001), "get_config_data on DIMM 0x0");
        assertErrno(Errno.EINVAL, () -> cmd.writeLabelArea(d0, -1, big, 0, 10), "negative offset or length (-1, 10)");
        assertErrno(Errno.EINVAL, () -> cmd.readLabelArea(d0, 0, big, 0, -1), "negative");
        assertErrno(Errno.EINVAL, () -> cmd.writeLabelArea(d0, 0, big, 1000, 2),
                "emul.c: set_config_data on DIMM 0x0: buffer range 1000 + 2");
        assertErrno(Errno.EINVAL, () -> cmd.readLabelArea(d0, 0, big, -1, 2), "buffer range");
        assertErrno(Errno.ENXIO, () -> cmd.writeLabelArea(d0, 131072 - 9, big, 0, 10),
                "offset 131063 + 10 is beyond the label area's 131072 bytes");
        assertErrno(Errno.ENXIO, () -> cmd.readLabelArea(d0, Long.MAX_VALUE, big, 0, 1));
        assertErrno(Errno.ENXIO, () -> cmd.readLabelArea(d2, 0, big, 0, 1), "beyond the label area's 0 bytes");
        assertThrows(NullPointerException.class, () -> cmd.readLabelArea(d0, 0, null, 0, 1));
        byte[] all = new byte[1000];
        for (long off = 0; off < 131072; off += 1000) {
            int n = (int) Math.min(1000, 131072 - off);
            cmd.readLabelArea(d0, off, all, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(0, all[i]);
            }
        }
    }

    @Test
    void labelWritesArePersisted() {
        List<CountingMedium> media = List.of(new CountingMedium("m", 4096 + 131072));
        EmulDimm dimm = new EmulDimm(Identity.qemu(0, 4096, 131072), media.getFirst(), 4096, null, lockdep);
        EmulBus one = new EmulBus("emul.p", List.of(dimm), List.of(), SPA, 4076, lockdep, clock::nanoTime);
        one.commands().writeLabelArea(dimm.descriptor(), 256, new byte[300], 0, 300);
        assertEquals(1, media.getFirst().persists.size());
        assertArrayEquals(new long[] {4096 + 256, 300}, media.getFirst().persists.getFirst());
        one.close();
    }

    @Test
    void aDimmNotOnTheBusIsRefused() {
        DimmDescriptor stranger = Identity.qemu(7, 65536, 0);
        assertErrno(Errno.ENXIO, () -> cmd.labelAreaInfo(stranger), "emul.c: no DIMM 0x8 on this bus");
        DimmDescriptor lookalike = new DimmDescriptor(d0.handle(), 9, d0.vendorId(), 0, 1, 0, 0, 1, 65536, 131072,
                Set.of());
        assertErrno(Errno.ENXIO, () -> cmd.readLabelArea(lookalike, 0, new byte[1], 0, 1), "no DIMM 0x0");
        assertErrno(Errno.ENXIO, () -> cmd.health(lookalike));
    }

    @Test
    void aScrubReportsTheInjectedPoisonInItsRange() {
        cmd.injectError(SPA + 4096, 512);
        cmd.injectError(SPA + GIB + 512, 100);
        assertEquals(new ScrubStatus(false, List.of()), cmd.scrubStatus());
        cmd.startScrub(SPA, 131072);
        assertEquals(new ScrubStatus(false, List.of(new ErrorRecord(SPA + 4096, 512))), cmd.scrubStatus());
        cmd.startScrub(SPA + GIB, 65536);
        assertEquals(new ScrubStatus(false, List.of(new ErrorRecord(SPA + GIB + 512, 100))), cmd.scrubStatus());
        cmd.startScrub(SPA + 4096 + 256, 1024);
        assertEquals(List.of(new ErrorRecord(SPA + 4096 + 256, 256)), cmd.scrubStatus().records(), "clipped");
    }

    @Test
    void aScrubCanTakeTimeAndOnlyOneRunsAtATime() {
        bus.faults().scrubDuration(Duration.ofMillis(100));
        cmd.injectError(SPA, 8);
        cmd.startScrub(SPA, 131072);
        assertEquals(new ScrubStatus(true, List.of()), cmd.scrubStatus(), "still running: the last results");
        assertErrno(Errno.EBUSY, () -> cmd.startScrub(SPA, 4096), "emul.c: ars_start: a scrub is already running");
        cmd.injectError(SPA + 64, 8); // after the start: not found by this scrub
        clock.advanceMillis(99);
        assertTrue(cmd.scrubStatus().active());
        clock.advanceMillis(1);
        assertEquals(new ScrubStatus(false, List.of(new ErrorRecord(SPA, 8))), cmd.scrubStatus());
        cmd.startScrub(SPA, 131072);
        clock.advanceMillis(100);
        assertEquals(new ScrubStatus(false, List.of(new ErrorRecord(SPA, 8), new ErrorRecord(SPA + 64, 8))),
                cmd.scrubStatus());
    }

    @Test
    void aFinishedScrubMakesWayForTheNextEvenUnobserved() {
        bus.faults().scrubDuration(Duration.ofMillis(10));
        cmd.injectError(SPA, 8);
        cmd.startScrub(SPA, 4096);
        clock.advanceMillis(10);
        cmd.startScrub(SPA + 4096, 4096); // no status call in between: the first one is done anyway
        assertEquals(new ScrubStatus(true, List.of(new ErrorRecord(SPA, 8))), cmd.scrubStatus());
        clock.advanceMillis(10);
        assertEquals(new ScrubStatus(false, List.of()), cmd.scrubStatus());
    }

    @Test
    void injectedErrorsAreMergedSortedAndRemovable() {
        cmd.injectError(SPA + GIB, 512);
        cmd.injectError(SPA + 1024, 512);
        cmd.injectError(SPA + 512, 512);
        assertEquals(List.of(new ErrorRecord(SPA + 512, 1024), new ErrorRecord(SPA + GIB, 512)), cmd.injectedErrors());
        cmd.uninjectError(SPA + 1000, 24);
        assertEquals(List.of(new ErrorRecord(SPA + 512, 488), new ErrorRecord(SPA + 1024, 512),
                new ErrorRecord(SPA + GIB, 512)), cmd.injectedErrors());
        cmd.uninjectError(SPA, 131072);
        assertEquals(List.of(new ErrorRecord(SPA + GIB, 512)), cmd.injectedErrors());
    }

    @Test
    void clearErrorCleansTheRangeEverywhere() {
        cmd.injectError(SPA + 4096, 4096);
        cmd.startScrub(SPA, 131072);
        assertEquals(List.of(new ErrorRecord(SPA + 4096, 4096)), cmd.scrubStatus().records());
        assertEquals(512, cmd.clearError(SPA + 4096, 512));
        assertEquals(List.of(new ErrorRecord(SPA + 4608, 3584)), cmd.injectedErrors());
        assertEquals(List.of(new ErrorRecord(SPA + 4608, 3584)), cmd.scrubStatus().records());
        assertEquals(65536, cmd.clearError(SPA, 65536), "every byte of the range is clean now");
        assertEquals(List.of(), cmd.injectedErrors());
        assertEquals(List.of(), cmd.scrubStatus().records());

        bus.faults().scrubDuration(Duration.ofMillis(10));
        cmd.injectError(SPA, 16);
        cmd.startScrub(SPA, 4096);
        cmd.clearError(SPA, 8); // while the scrub runs: its results lose the range too
        clock.advanceMillis(10);
        assertEquals(List.of(new ErrorRecord(SPA + 8, 8)), cmd.scrubStatus().records());
    }

    @Test
    void errorRangesMustLieInsideOneRegion() {
        for (Executable e : List.<Executable>of(
                () -> cmd.injectError(SPA - 1, 2),
                () -> cmd.injectError(SPA + 131072 - 1, 2),
                () -> cmd.injectError(SPA + 131072, 1),
                () -> cmd.startScrub(SPA, GIB + 1),
                () -> cmd.clearError(SPA + GIB + 65536, 1),
                () -> cmd.uninjectError(0, 1))) {
            assertErrno(Errno.EINVAL, e, "is not inside one region of the bus");
        }
        assertErrno(Errno.EINVAL, () -> cmd.injectError(SPA, 0), "emul.c: ars_inject_set: range 0x1000000000 + 0",
                "empty or invalid");
        assertErrno(Errno.EINVAL, () -> cmd.injectError(SPA + 3 * GIB, 1), "range 0x10c0000000 + 1 is not inside");
        assertErrno(Errno.EINVAL, () -> cmd.startScrub(SPA, -1), "ars_start");
        assertErrno(Errno.EINVAL, () -> cmd.clearError(-1, 1), "clear_error");
        assertErrno(Errno.EINVAL, () -> cmd.uninjectError(Long.MAX_VALUE, 2), "ars_inject_clear");
        assertEquals(List.of(), cmd.injectedErrors());
        cmd.injectError(SPA + 131072 - 1, 1);
        cmd.injectError(SPA + GIB + 65535, 1);
        assertEquals(2, cmd.injectedErrors().size());
    }

    @Test
    void healthIsGoodUnlessSetOtherwise() {
        assertEquals(new DimmHealth("ok", 25.0, 100, 0, "clean"), cmd.health(d0));
        DimmHealth bad = new DimmHealth("critical", 80.0, 5, 99, "dirty");
        bus.faults().setHealth(d2.handle(), bad);
        assertEquals(bad, cmd.health(d2));
        assertEquals(EmulCommands.GOOD_HEALTH, cmd.health(d0));
        bus.faults().clear();
        assertEquals(EmulCommands.GOOD_HEALTH, cmd.health(d2));
    }

    /** Calls the command handler method of each command. */
    private Executable call(EmulCommand c) {
        return switch (c) {
            case LABEL_AREA_INFO -> () -> cmd.labelAreaInfo(d0);
            case READ_LABEL_AREA -> () -> cmd.readLabelArea(d0, 0, new byte[8], 0, 8);
            case WRITE_LABEL_AREA -> () -> cmd.writeLabelArea(d0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            case START_SCRUB -> () -> cmd.startScrub(SPA, 4096);
            case SCRUB_STATUS -> () -> cmd.scrubStatus();
            case CLEAR_ERROR -> () -> cmd.clearError(SPA, 8);
            case INJECT_ERROR -> () -> cmd.injectError(SPA + 64, 8);
            case UNINJECT_ERROR -> () -> cmd.uninjectError(SPA, 8);
            case INJECTED_ERRORS -> () -> cmd.injectedErrors();
            case HEALTH -> () -> cmd.health(d0);
        };
    }

    @Test
    void everyCommandFailsWithTheInjectedErrnoAndDoesNothing() throws Throwable {
        cmd.injectError(SPA, 8);
        Errno[] errnos = {Errno.ENOMEM, Errno.EIO, Errno.ENXIO, Errno.EBUSY, Errno.EOPNOTSUPP, Errno.ETIMEDOUT,
                Errno.EAGAIN, Errno.EPERM, Errno.ENOSPC, Errno.EINTR};
        for (EmulCommand c : EmulCommand.values()) {
            Errno errno = errnos[c.ordinal()];
            bus.faults().failCommand(c, errno, 1);
            for (EmulCommand other : EmulCommand.values()) {
                if (other != c && other != EmulCommand.START_SCRUB && other != EmulCommand.CLEAR_ERROR
                        && other != EmulCommand.UNINJECT_ERROR) {
                    call(other).execute(); // the others still work
                }
            }
            assertErrno(errno, call(c), "emul.c: " + c.linuxName() + ": injected failure");
            call(c).execute(); // once only
            cmd.injectError(SPA, 8);
            while (cmd.scrubStatus().active()) {
                clock.advanceMillis(1);
            }
        }
    }

    @Test
    void aFailedCommandChangesNothing() {
        bus.faults().failCommand(EmulCommand.WRITE_LABEL_AREA, Errno.ENOMEM, 1);
        assertErrno(Errno.ENOMEM, () -> cmd.writeLabelArea(d0, 0, new byte[] {9}, 0, 1));
        byte[] b = new byte[1];
        cmd.readLabelArea(d0, 0, b, 0, 1);
        assertEquals(0, b[0]);
        bus.faults().failCommand(EmulCommand.INJECT_ERROR, Errno.EIO, 1);
        assertErrno(Errno.EIO, () -> cmd.injectError(SPA, 8));
        assertEquals(List.of(), cmd.injectedErrors());
        cmd.injectError(SPA, 8);
        bus.faults().failCommand(EmulCommand.CLEAR_ERROR, Errno.EIO, 1);
        assertErrno(Errno.EIO, () -> cmd.clearError(SPA, 8));
        assertEquals(List.of(new ErrorRecord(SPA, 8)), cmd.injectedErrors());
        bus.faults().failCommand(EmulCommand.START_SCRUB, Errno.EBUSY, 1);
        assertErrno(Errno.EBUSY, () -> cmd.startScrub(SPA, 8));
        assertEquals(List.of(), cmd.scrubStatus().records());
    }

    @Test
    void faultsCountDownOrStayUntilCleared() {
        Faults faults = bus.faults();
        faults.failCommand(EmulCommand.HEALTH, Errno.ENOMEM, 2);
        assertEquals(Map.of(EmulCommand.HEALTH, new FaultState.Failure(Errno.ENOMEM, 2)), faults.state().commands());
        assertErrno(Errno.ENOMEM, () -> cmd.health(d0));
        assertEquals(new FaultState.Failure(Errno.ENOMEM, 1), faults.state().commands().get(EmulCommand.HEALTH));
        assertErrno(Errno.ENOMEM, () -> cmd.health(d0));
        assertEquals(Map.of(), faults.state().commands());
        cmd.health(d0);

        faults.failCommand(EmulCommand.HEALTH, Errno.EIO, FaultInjector.UNTIL_CLEARED);
        for (int i = 0; i < 5; i++) {
            assertErrno(Errno.EIO, () -> cmd.health(d0));
        }
        assertEquals(new FaultState.Failure(Errno.EIO, FaultInjector.UNTIL_CLEARED),
                faults.state().commands().get(EmulCommand.HEALTH));
        faults.failCommand(EmulCommand.HEALTH, Errno.ENOSPC, 1); // replaces
        assertErrno(Errno.ENOSPC, () -> cmd.health(d0));
        cmd.health(d0);
        faults.failCommand(EmulCommand.HEALTH, Errno.EIO, FaultInjector.UNTIL_CLEARED);
        faults.clear();
        cmd.health(d0);

        assertErrno(Errno.EINVAL, () -> faults.failCommand(EmulCommand.HEALTH, Errno.EIO, 0), "emul.c: a fault must fire",
                "not 0 times");
        assertErrno(Errno.EINVAL, () -> faults.failCommand(EmulCommand.HEALTH, Errno.EIO, -2));
        assertErrno(Errno.EINVAL, () -> faults.failFlush(Errno.EIO, 0));
        assertErrno(Errno.EINVAL, () -> faults.flushLatency(Duration.ofMillis(-1)), "flush latency");
        assertErrno(Errno.EINVAL, () -> faults.scrubDuration(Duration.ofMillis(-1)), "scrub duration");
        assertThrows(NullPointerException.class, () -> faults.failCommand(null, Errno.EIO, 1));
        assertThrows(NullPointerException.class, () -> faults.failCommand(EmulCommand.HEALTH, null, 1));
        assertEquals(Map.of(), faults.state().commands());
    }

    @Test
    void theFaultStateShowsEverythingSetAndClearEmptiesIt() {
        Faults faults = bus.faults();
        FaultState empty = faults.state();
        assertEquals(new FaultState(Map.of(), null, Duration.ZERO, Duration.ZERO, Map.of()), empty);
        DimmHealth hot = new DimmHealth("non-critical", 60, 50, 10, "clean");
        faults.failCommand(EmulCommand.SCRUB_STATUS, Errno.ETIMEDOUT, 3);
        faults.failFlush(Errno.ENOSPC, FaultInjector.UNTIL_CLEARED);
        faults.flushLatency(Duration.ofMillis(5));
        faults.scrubDuration(Duration.ofSeconds(2));
        faults.setHealth(0x100, hot);
        FaultState s = faults.state();
        assertEquals(Map.of(EmulCommand.SCRUB_STATUS, new FaultState.Failure(Errno.ETIMEDOUT, 3)), s.commands());
        assertEquals(new FaultState.Failure(Errno.ENOSPC, FaultInjector.UNTIL_CLEARED), s.flush());
        assertEquals(Duration.ofMillis(5), s.flushLatency());
        assertEquals(Duration.ofSeconds(2), s.scrubDuration());
        assertEquals(Map.of(0x100, hot), s.health());
        faults.clear();
        assertEquals(empty, faults.state());
        assertNull(faults.health(0x100));
        assertFalse(faults.state().commands().containsKey(EmulCommand.SCRUB_STATUS));
    }
}
