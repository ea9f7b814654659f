package nvdimm.namespace.internal.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.label.LabelFixtures;

import org.junit.jupiter.api.Test;

/**
 * A DIMM with QEMU slot 0's identity whose label area holds what a Linux guest wrote assembles the guest's
 * namespace: uuid, name and size as the images' info.json give them.
 */
class LinuxLabelAreasTest extends LabelsTestBase {

    /** The guest-visible size of the images: namespace_region_size in info.json. */
    RegionLabels bringWith(byte[] area, long dimmSize) {
        LabelBus bus = new LabelBus("qemu").dimm(dimmSize, area.length).region(0);
        System.arraycopy(area, 0, bus.area(0), 0, area.length);
        bring(bus);
        return new RegionLabelReaderComponent().read(region("region0"));
    }

    static long number(String info, String key) {
        return Long.parseLong(LabelFixtures.jsonValue(info, "\"in_use\": true", key));
    }

    @Test
    void v11AreaAssemblesTheGuestsNamespace() {
        String info = "kernel-btt-labeled-v1.1-512.info.json";
        RegionLabels rl = bringWith(LabelFixtures.linuxV11(), 83755008L);
        assertTrue(rl.labeled());
        assertEquals("1.1", rl.version());
        LabeledNamespace ns = rl.namespaces().getFirst();
        assertEquals(UUID.fromString(LabelFixtures.jsonValue(info, "\"in_use\": true", "uuid")), ns.uuid());
        assertEquals(Optional.empty(), ns.name()); // "name": ""
        assertEquals(number(info, "rawsize"), ns.size());
        assertEquals(0, ns.regionOffset());
        assertEquals(512, ns.lbaSize());
        assertEquals(ClaimClass.NONE, ns.claimClass());
        assertEquals(1, rl.namespaces().size());
        assertEquals(0, rl.unassembled().size());
        assertEquals(1020 - 1 - 1, rl.freeSlots());
        assertClean();
    }

    @Test
    void v12AreaAssemblesTheGuestsNamespace() {
        String info = "kernel-btt-labeled-v1.2-4096.info.json";
        RegionLabels rl = bringWith(LabelFixtures.linuxV12(), 66977792L);
        assertEquals("1.2", rl.version());
        LabeledNamespace ns = rl.namespaces().getFirst();
        assertEquals(UUID.fromString(LabelFixtures.jsonValue(info, "\"in_use\": true", "uuid")), ns.uuid());
        assertEquals(number(info, "rawsize"), ns.size());
        assertEquals(4096, ns.lbaSize());
        assertEquals(ClaimClass.BTT2, ns.claimClass());
        assertClean();
    }

    /** In QEMU slot 1 the cookie differs (§3.7): the guest's labels do not belong to that interleave set. */
    @Test
    void anotherSlotsCookieDoesNotAssemble() {
        LabelBus bus = new LabelBus("qemu").dimm(8 << 20, 0).dimm(83755008L, 128 * 1024).region(1);
        System.arraycopy(LabelFixtures.linuxV11(), 0, bus.area(1), 0, 128 * 1024);
        bring(bus);
        RegionLabels rl = new RegionLabelReaderComponent().read(region("region0"));
        assertEquals(0, rl.namespaces().size());
        assertTrue(rl.unassembled().getFirst().reason().contains("is not the region's 0x2468ae00123457"),
                rl.unassembled().getFirst().reason());
    }
}
