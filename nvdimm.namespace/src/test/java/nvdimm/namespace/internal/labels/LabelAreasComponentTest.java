package nvdimm.namespace.internal.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.label.LabelArea;
import nvdimm.namespace.label.LabelAreas;
import nvdimm.namespace.label.LabelFixtures;
import nvdimm.namespace.label.LabelVersion;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LabelAreasComponentTest extends LabelsTestBase {

    static final int K128 = 128 * 1024;
    LabelBus bus;
    LabelAreas labels;

    @BeforeEach
    void bus() {
        bus = new LabelBus("b").dimm(8 << 20, K128).dimm(8 << 20, K128).dimm(8 << 20, 0).region(0).region(2);
        bring(bus);
        labels = new LabelAreasComponent(core);
    }

    /** A refusal with this errno and message start, and not one byte of any label area changed. */
    void refused(Errno errno, String message, Executable action) {
        byte[] a0 = bus.area(0).clone();
        byte[] a1 = bus.area(1).clone();
        NvdimmException e = assertThrows(NvdimmException.class, action);
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertArrayEquals(a0, bus.area(0));
        assertArrayEquals(a1, bus.area(1));
    }

    @Test
    void anActiveDimmIsRefused() {
        refused(Errno.EBUSY, "nmem0: regions active, abort label write", () -> labels.init("nmem0", LabelVersion.V1_2, false));
        refused(Errno.EBUSY, "nmem0: regions active, abort label write", () -> labels.zero("nmem0"));
        refused(Errno.EBUSY, "nmem0: regions active, abort label write",
                () -> labels.write("nmem0", LabelFixtures.fresh(K128, 256)));
        driver.disable("region0");
        labels.init("nmem0", LabelVersion.V1_2, false);
        assertEquals(LabelVersion.V1_2, LabelArea.parse(bus.area(0)).version());
        assertClean();
    }

    @Test
    void initOnlyWritesTheIndexBlocksAndRefusesAValidAreaWithoutForce() {
        Arrays.fill(bus.area(1), (byte) 0x5a);
        LabelArea a = labels.init("nmem1", LabelVersion.V1_1, false);
        assertEquals(LabelVersion.V1_1, a.version());
        assertArrayEquals(Arrays.copyOf(LabelFixtures.fresh(K128, 128), 512), Arrays.copyOf(bus.area(1), 512));
        assertEquals(0x5a, bus.area(1)[512]); // slots keep their bytes
        assertEquals(1020, labels.check("nmem1").freeSlots().size());
        refused(Errno.EBUSY, "nmem1: error: labels already initialized", () -> labels.init("nmem1", LabelVersion.V1_2, false));
        assertEquals(LabelVersion.V1_2, labels.init("nmem1", LabelVersion.V1_2, true).version());
        assertArrayEquals(Arrays.copyOf(LabelFixtures.fresh(K128, 256), 512), Arrays.copyOf(bus.area(1), 512));
        assertClean();
    }

    @Test
    void zeroMakesTheDimmLabelLessAndCheckSaysWhy() {
        labels.init("nmem1", LabelVersion.V1_2, false);
        labels.zero("nmem1");
        assertArrayEquals(new byte[K128], bus.area(1));
        NvdimmException e = assertThrows(NvdimmException.class, () -> labels.check("nmem1"));
        assertEquals(Errno.ENXIO, e.errno());
        assertTrue(e.getMessage().startsWith("nmem1: no valid namespace index"), e.getMessage());
        assertClean();
    }

    @Test
    void writeTakesAWholeValidAreaAndRefusesTheRest() {
        byte[] linux = LabelFixtures.linuxV12();
        labels.write("nmem1", linux);
        assertArrayEquals(linux, bus.area(1));
        assertArrayEquals(linux, labels.read("nmem1"));
        refused(Errno.EINVAL, "nmem1: the input has 131071 bytes, the label area 131072",
                () -> labels.write("nmem1", Arrays.copyOf(linux, K128 - 1)));
        byte[] corrupt = linux.clone();
        corrupt[70] ^= 1;
        corrupt[256 + 70] ^= 1;
        refused(Errno.EINVAL, "nmem1: the input is no label area: no valid namespace index", () -> labels.write("nmem1", corrupt));
        refused(Errno.EINVAL, "nmem1: the input is no label area", () -> labels.write("nmem1", new byte[K128]));
        assertClean();
    }

    @Test
    void unknownDimmsAndDimmsWithoutLabelAreaAreRefused() {
        refused(Errno.ENODEV, "nmem9: no such DIMM", () -> labels.read("nmem9"));
        refused(Errno.ENODEV, "region0: no such DIMM", () -> labels.zero("region0"));
        driver.disable("region1");
        refused(Errno.ENXIO, "nmem2: no label area", () -> labels.read("nmem2"));
        refused(Errno.ENXIO, "nmem2: no label area", () -> labels.init("nmem2", LabelVersion.V1_2, true));
        refused(Errno.ENXIO, "nmem2: no label area", () -> labels.write("nmem2", new byte[K128]));
        refused(Errno.ENXIO, "nmem2: no label area", () -> labels.zero("nmem2"));
    }

    @Test
    void aLabelledDimmMakesItsRegionLabeledAfterReEnable() {
        labels.init("nmem1", LabelVersion.V1_2, false);
        assertFalse(new RegionLabelReaderComponent().read(region("region0")).labeled());
        driver.disable("region0");
        labels.init("nmem0", LabelVersion.V1_2, false);
        driver.enable("region0");
        assertTrue(new RegionLabelReaderComponent().read(region("region0")).labeled());
        assertClean();
    }
}
