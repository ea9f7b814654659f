package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.bus.DeviceState;
import nvdimm.bus.Dimm;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.DimmFlag;
import nvdimm.bus.spi.ErrorRecord;
import nvdimm.bus.spi.LabelAreaInfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in DIMM driver and the DIMM and bus commands. */
class DimmTest extends CoreTestBase {

    Dimm dimm(String name) {
        return core.find(name, Dimm.class).orElseThrow();
    }

    @ParameterizedTest(name = "described {0}, reported {1}: {2}")
    @CsvSource({
        "131072, 131072, ok",
        "262144, 262144, ok",
        "0, 0, ok",
        "131071, 131071, nmem0: a label area of 131071 bytes is smaller than the minimum of 131072",
        "4096, 4096, nmem0: a label area of 4096 bytes is smaller than the minimum of 131072",
        "131072, 262144, nmem0: the provider reports a label area of 262144 bytes but described 131072",
        "131072, 0, nmem0: the provider reports a label area of 0 bytes but described 131072",
    })
    void theDriverChecksTheLabelAreaSizeAtProbe(long described, long reported, String verdict) {
        FakeProvider p = provider(FakeProvider.builder("emul.0").dimms(1, described).build());
        p.commands.reportedSizes.put(0, reported);
        core.addProvider(p);
        idle();
        Dimm nmem0 = dimm("nmem0");
        if (verdict.equals("ok")) {
            assertEquals(DeviceState.ENABLED, nmem0.state());
            assertEquals(Optional.of(new LabelAreaInfo(reported, FakeCommands.MAX_TRANSFER)), nmem0.labelAreaInfo());
            assertEquals(reported, nmem0.labelAreaSize());
        } else {
            assertEquals(DeviceState.DISABLED, nmem0.state());
            NvdimmException e = nmem0.probeError().orElseThrow();
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(verdict, e.detail());
            assertEquals(Optional.empty(), nmem0.labelAreaInfo());
            assertEquals(described, nmem0.labelAreaSize());
            assertEquals(List.of("ADD"), publisher.actions("nmem0"));
            assertEquals(Optional.of(nmem0), core.find("nmem0"));
        }
        assertEquals(List.of("labelAreaInfo"), p.commands.calls);
        assertClean();
    }

    @Test
    void aProviderErrorAtProbeIsKeptWithItsErrno() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        p.commands.failures.put("labelAreaInfo", new NvdimmException(Errno.ENOMEM, "emul.0: out of DSM buffers"));
        core.addProvider(p);
        idle();
        assertEquals(Errno.ENOMEM, dimm("nmem0").probeError().orElseThrow().errno());
        p.commands.failures.clear();
        core.enable(dimm("nmem0"));
        assertTrue(dimm("nmem0").isEnabled());
        assertEquals(Optional.empty(), dimm("nmem0").probeError());
        assertClean();
    }

    @Test
    void identityFlagsAndHealthComeFromTheProvider() {
        DimmDescriptor d = new DimmDescriptor(0x1001, 7, 0x8086, 1, 2, 3, 0x1234, 0x12345678, FakeProvider.DIMM_SIZE,
                FakeProvider.LABELS, Set.of(DimmFlag.FAILED_ARM, DimmFlag.SMART_EVENT));
        bring(FakeProvider.builder("emul.0").dimm(d).build());
        idle();
        Dimm nmem0 = dimm("nmem0");
        assertEquals(0, nmem0.id());
        assertSame(d, nmem0.descriptor());
        assertEquals(0x1001, nmem0.handle());
        assertEquals(7, nmem0.physId());
        assertEquals(0x12345678, nmem0.serial());
        assertEquals(d.id(), nmem0.dimmId());
        assertEquals(FakeProvider.DIMM_SIZE, nmem0.size());
        assertEquals(Set.of(DimmFlag.FAILED_ARM, DimmFlag.SMART_EVENT), nmem0.flags());
        assertEquals("ok", nmem0.health().healthState());
        assertEquals(0x1001, nmem0.health().lifeUsedPercentage());
        assertClean();
    }

    @Test
    void labelsAreReadAndWrittenInTransfersOfAtMostTheMaxTransfer() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        Dimm nmem0 = dimm("nmem0");
        byte[] data = new byte[10_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        nmem0.writeLabelArea(100, data, 0, data.length);
        assertEquals(List.of(4076, 4076, 1848), p.commands.transferSizes);
        assertArrayEquals(data, Arrays.copyOfRange(p.commands.labels.get(0), 100, 10_100));
        p.commands.transferSizes.clear();
        byte[] back = new byte[10_010];
        nmem0.readLabelArea(100, back, 10, 10_000);
        assertEquals(List.of(4076, 4076, 1848), p.commands.transferSizes);
        assertArrayEquals(data, Arrays.copyOfRange(back, 10, 10_010));
        nmem0.readLabelArea(FakeProvider.LABELS, back, 0, 0); // empty, at the very end
        assertClean();
    }

    @Test
    void labelRangesAreCheckedBeforeAnyTransfer() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        Dimm nmem0 = dimm("nmem0");
        byte[] buf = new byte[16];
        assertEquals("nmem0: get label data: 16 bytes at offset 131064 reach beyond the label area of 131072 bytes"
                + " (ENXIO)", assertThrows(NvdimmException.class,
                        () -> nmem0.readLabelArea(FakeProvider.LABELS - 8, buf, 0, 16)).getMessage());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class,
                () -> nmem0.readLabelArea(-1, buf, 0, 1)).errno());
        assertEquals("nmem0: set label data: 16 bytes at array offset 1 do not fit an array of 16 (EINVAL)",
                assertThrows(NvdimmException.class, () -> nmem0.writeLabelArea(0, buf, 1, 16)).getMessage());
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class,
                () -> nmem0.readLabelArea(0, buf, 0, -1)).errno());
        assertEquals(Errno.ENXIO, assertThrows(NvdimmException.class,
                () -> nmem0.writeLabelArea(Long.MAX_VALUE, buf, 0, 16)).errno());
        assertEquals(List.of("labelAreaInfo"), p.commands.calls); // only the probe's
        assertClean();
    }

    @Test
    void aFailingTransferLeavesTheCallersBufferUntouchedAndKeepsItsErrno() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        Arrays.fill(p.commands.labels.get(0), (byte) 0x5a);
        AtomicInteger transfers = new AtomicInteger();
        NvdimmException nomem = new NvdimmException(Errno.ENOMEM, "emul.0: no DSM buffer");
        p.commands.hook = name -> {
            if (name.equals("readLabelArea") && transfers.incrementAndGet() == 2) {
                throw nomem;
            }
        };
        byte[] dst = new byte[9000];
        NvdimmException e = assertThrows(NvdimmException.class, () -> dimm("nmem0").readLabelArea(0, dst, 0, 9000));
        assertSame(nomem, e);
        assertArrayEquals(new byte[9000], dst);
        assertClean();
    }

    @Test
    void providerErrorsReachTheCallerUnchanged() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        NvdimmBus bus = core.addProvider(p);
        idle();
        for (String command : List.of("health", "startScrub", "scrubStatus", "clearError", "injectError",
                "uninjectError", "injectedErrors", "writeLabelArea")) {
            NvdimmException failure = new NvdimmException(Errno.ENOMEM, "emul.0: " + command + " has no memory");
            p.commands.failures.put(command, failure);
            Runnable call = switch (command) {
                case "health" -> () -> dimm("nmem0").health();
                case "startScrub" -> () -> bus.startScrub(0, 4096);
                case "scrubStatus" -> bus::scrubStatus;
                case "clearError" -> () -> bus.clearError(0, 4096);
                case "injectError" -> () -> bus.injectError(0, 4096);
                case "uninjectError" -> () -> bus.uninjectError(0, 4096);
                case "injectedErrors" -> bus::injectedErrors;
                default -> () -> dimm("nmem0").writeLabelArea(0, new byte[8], 0, 8);
            };
            NvdimmException seen = assertThrows(NvdimmException.class, call::run, command);
            assertSame(failure, seen, command);
            assertEquals(Errno.ENOMEM, seen.errno());
            p.commands.failures.clear();
        }
        assertEquals(0, bus.commandsInFlight());
        assertClean();
    }

    @Test
    void busCommandsReachTheProvider() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        NvdimmBus bus = core.addProvider(p);
        idle();
        long base = bus.regionDescriptors().get(0).address();
        bus.injectError(base + 4096, 512);
        bus.injectError(base + 8192, 512);
        assertEquals(List.of(new ErrorRecord(base + 4096, 512), new ErrorRecord(base + 8192, 512)),
                bus.injectedErrors());
        bus.uninjectError(base + 8192, 512);
        bus.startScrub(base, 65536);
        assertEquals(List.of(new ErrorRecord(base + 4096, 512)), bus.scrubStatus().records());
        assertEquals(512, bus.clearError(base + 4096, 512));
        assertEquals(List.of(), bus.injectedErrors());
        assertClean();
    }

    @Test
    void aDisabledDimmDropsItsLabelInfoAndCommandsStillWork() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        core.addProvider(p);
        idle();
        Dimm nmem0 = dimm("nmem0");
        core.disable(nmem0);
        assertEquals(DeviceState.DISABLED, nmem0.state());
        assertEquals(Optional.empty(), nmem0.labelAreaInfo());
        byte[] buf = new byte[8];
        nmem0.readLabelArea(0, buf, 0, 8); // asks the provider for the label size itself
        assertEquals(List.of("labelAreaInfo", "labelAreaInfo", "readLabelArea"), p.commands.calls);
        core.enable(nmem0);
        assertTrue(nmem0.isEnabled());
        assertEquals(List.of("ADD", "BIND", "UNBIND", "BIND"), publisher.actions("nmem0"));
        assertClean();
    }

    @Test
    void commandsOnAGoneBusOrDimmAreEnxio() {
        FakeProvider p = provider(FakeProvider.of("emul.0", 1));
        NvdimmBus bus = core.addProvider(p);
        idle();
        Dimm nmem0 = dimm("nmem0");
        core.removeProvider(p);
        assertEquals("nmem0: get health: the device is gone (ENXIO)",
                assertThrows(NvdimmException.class, nmem0::health).getMessage());
        assertEquals("ndbus0: ARS status: the device is gone (ENXIO)",
                assertThrows(NvdimmException.class, bus::scrubStatus).getMessage());
        assertClean();
    }
}
