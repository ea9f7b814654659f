package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;

import org.junit.jupiter.api.Test;

/** State lives on the media: a new core over the same labels and media finds every namespace again. */
class NamespaceRestartTest extends NamespaceTestBase {

    /** The fields that persist, per listed namespace. */
    List<String> persistent() {
        return namespaces.list().stream().map(i -> i.dev() + " " + i.uuid().map(UUID::toString).orElse("-") + " "
                + i.name().orElse("-") + " " + i.size() + " " + i.mode() + " " + i.sectorSize() + " seed=" + i.seed())
                .toList();
    }

    @Test
    void everyNamespaceComesBackWithItsUuidNameSizeAndModeEnabled() {
        start(standardBus());
        FakeSectorMode btt = new FakeSectorMode();
        namespaces.addModeProvider(btt);
        UUID u = UUID.randomUUID();
        namespaces.create(spec("region0", 8 * MIB, NamespaceMode.RAW, u, "logs", 4096)); // namespace0.0 at 0
        namespaces.create(spec("region0", 8 * MIB)); // namespace0.1 at 8 MiB
        namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR, null, "btt", 4096)); // 0.2 at 16 MiB
        namespaces.create(spec("region0", 24 * MIB)); // 0.3 at 32 MiB
        namespaces.destroy("namespace0.1", true); // a hole at 8 MiB
        disks.disk("pmem0").orElseThrow().write(3, MemorySegment.ofArray(new byte[4096]).fill((byte) 0x3c));
        namespaces.disable("namespace0.3"); // not persistent
        namespaces.disable("namespace1.0");
        List<String> before = persistent();
        long available = region("region0").availableSize();

        restart();
        namespaces.addModeProvider(btt);

        // renumbered as Linux does (labels in slot order, then the seed), otherwise the same
        assertEquals(before.stream().map(s -> s.substring(s.indexOf(' '))).sorted().toList(),
                persistent().stream().map(s -> s.substring(s.indexOf(' '))).sorted().toList());
        NamespaceInfo logs = info("namespace0.0");
        assertEquals(Optional.of(u), logs.uuid());
        assertEquals(Optional.of("logs"), logs.name());
        assertEquals(8 * MIB, logs.size());
        assertEquals(java.util.OptionalInt.of(4096), logs.sectorSize());
        assertTrue(logs.enabled());
        NamespaceInfo sector = info("namespace0.1");
        assertEquals(Optional.of("btt"), sector.name());
        assertEquals(NamespaceMode.SECTOR, sector.mode());
        assertEquals(16 * MIB, sector.size());
        NamespaceInfo big = info("namespace0.2");
        assertEquals(24 * MIB, big.size());
        assertTrue(big.enabled()); // disabling did not persist
        assertTrue(info("namespace1.0").enabled());
        assertTrue(info("namespace0.3").seed());
        assertEquals(available, region("region0").availableSize());
        byte[] back = new byte[4096];
        disks.disk("pmem0").orElseThrow().read(3, MemorySegment.ofArray(back));
        assertEquals(0x3c, back[4095]);
        // the accounting goes on from the labels: of two equal free extents the first, the hole, is taken
        NamespaceInfo again = namespaces.create(spec("region0", 0));
        assertEquals(8 * MIB, again.size());
        assertEquals(8 * MIB, namespaces.find(again.dev()).orElseThrow().regionOffset());
        assertClean();
    }
}
