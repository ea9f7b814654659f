package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.region.Badblocks;
import nvdimm.shell.internal.cli.Json;
import org.junit.jupiter.api.Test;

/**
 * Namespace JSON against what ndctl v81 printed for the same namespaces on a Linux guest (the
 * snapshots are ndctl's output, byte for byte, from list -N, list -NRi and create-namespace).
 */
class NamespaceJsonTest {

    private static NamespaceInfo info(String dev, NamespaceMode mode, long size, String uuid, Integer sectorSize,
            String blockdev, boolean enabled, String name, List<Badblocks.Range> bad) {
        return new NamespaceInfo(dev, "region0", true, size == 0, mode, size,
                Optional.ofNullable(uuid).map(UUID::fromString), Optional.ofNullable(name),
                sectorSize == null ? OptionalInt.empty() : OptionalInt.of(sectorSize), Optional.ofNullable(blockdev),
                enabled, Optional.empty(), bad);
    }

    @Test
    void aNamedRawNamespaceAsNdctlListsIt() {
        NamespaceInfo ns = info("namespace0.0", NamespaceMode.RAW, 16777216, "234bf1c4-9e28-4160-b6eb-cadab5749999",
                512, "pmem0", true, "hello", List.of());
        var array = Json.array().add(NamespaceJson.of(ns, false, false));
        assertEquals("""
                [
                  {
                    "dev":"namespace0.0",
                    "mode":"raw",
                    "size":16777216,
                    "uuid":"234bf1c4-9e28-4160-b6eb-cadab5749999",
                    "sector_size":512,
                    "blockdev":"pmem0",
                    "name":"hello"
                  }
                ]""", Json.print(array));
    }

    @Test
    void aSectorNamespaceAsNdctlListsIt() {
        NamespaceInfo ns = info("namespace0.1", NamespaceMode.SECTOR, 14653440, "a71f3a08-ef3a-46a3-9212-755c841f2125",
                520, "pmem0.1s", true, null, List.of());
        assertEquals("""
                {
                  "dev":"namespace0.1",
                  "mode":"sector",
                  "size":14653440,
                  "uuid":"a71f3a08-ef3a-46a3-9212-755c841f2125",
                  "sector_size":520,
                  "blockdev":"pmem0.1s"
                }""", Json.print(NamespaceJson.of(ns, false, false)));
    }

    @Test
    void aSectorNamespaceWhoseBttIsNotLoadedHasNoSectorSizeAndNoBlockDevice() {
        NamespaceInfo ns = info("namespace0.0", NamespaceMode.SECTOR, 50331648, "d557b2bc-e56c-11f1-9747-cb868faa0a78",
                null, null, true, null, List.of());
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "mode":"sector",
                  "size":50331648,
                  "uuid":"d557b2bc-e56c-11f1-9747-cb868faa0a78"
                }""", Json.print(NamespaceJson.of(ns, false, false)));
    }

    @Test
    void theSeedAsListIdleShowsIt() {
        NamespaceInfo seed = info("namespace0.1", NamespaceMode.RAW, 0, null, 512, null, false, null, List.of());
        assertEquals("""
                {
                  "dev":"namespace0.1",
                  "mode":"raw",
                  "size":0,
                  "uuid":"00000000-0000-0000-0000-000000000000",
                  "sector_size":512,
                  "state":"disabled"
                }""", Json.print(NamespaceJson.of(seed, false, false)));
    }

    @Test
    void createNamespaceOnATerminalPrintsHumanSizes() {
        NamespaceInfo ns = info("namespace0.2", NamespaceMode.RAW, 16777216, "21d78e11-ba9a-4426-b1a9-f0a28df15d12",
                512, "pmem0.2", true, null, List.of());
        assertEquals("""
                {
                  "dev":"namespace0.2",
                  "mode":"raw",
                  "size":"16.00 MiB (16.78 MB)",
                  "uuid":"21d78e11-ba9a-4426-b1a9-f0a28df15d12",
                  "sector_size":512,
                  "blockdev":"pmem0.2"
                }""", Json.print(NamespaceJson.of(ns, false, true)));
    }

    @Test
    void aLabelLessNamespaceHasNoUuidAndTheKernelsDefaultSectorSize() {
        NamespaceInfo io = new NamespaceInfo("namespace1.0", "region1", false, false, NamespaceMode.RAW, 1 << 20,
                Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.of("pmem1"), true, Optional.empty(),
                List.of());
        assertEquals("""
                {
                  "dev":"namespace1.0",
                  "mode":"raw",
                  "size":1048576,
                  "sector_size":512,
                  "blockdev":"pmem1"
                }""", Json.print(NamespaceJson.of(io, false, false)));
    }

    @Test
    void badblocksCountAlwaysAndListWithMediaErrorsAfterName() {
        List<Badblocks.Range> bad = List.of(new Badblocks.Range(8, 2), new Badblocks.Range(100, 1));
        NamespaceInfo ns = info("namespace0.0", NamespaceMode.RAW, 16777216, "234bf1c4-9e28-4160-b6eb-cadab5749999",
                512, null, false, "hello", bad);
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "mode":"raw",
                  "size":16777216,
                  "uuid":"234bf1c4-9e28-4160-b6eb-cadab5749999",
                  "sector_size":512,
                  "state":"disabled",
                  "name":"hello",
                  "badblock_count":3,
                  "badblocks":[
                    {
                      "offset":8,
                      "length":2
                    },
                    {
                      "offset":100,
                      "length":1
                    }
                  ]
                }""", Json.print(NamespaceJson.of(ns, true, false)));
        String countOnly = Json.print(NamespaceJson.of(ns, false, false));
        assertEquals(true, countOnly.endsWith("\"badblock_count\":3\n}"), countOnly);
        NamespaceInfo sector = info("namespace0.1", NamespaceMode.SECTOR, 16777216, "a71f3a08-ef3a-46a3-9212-755c841f2125",
                4096, "pmem0.1s", true, null, bad);
        assertEquals(true, Json.print(NamespaceJson.of(sector, true, false)).endsWith("\"badblock_count\":3\n}"),
                "a BTT hides its bad blocks: ndctl gives the count alone");
    }

    /** A BTT's view of a sector namespace, as the BTT bundle publishes it. */
    private record Btt(String namespace, UUID uuid, int sectorSize, long capacity) implements nvdimm.btt.BttDevice {
        @Override
        public String device() {
            return "btt0.0";
        }

        @Override
        public String blockdev() {
            return "pmem0s";
        }

        @Override
        public UUID parentUuid() {
            return new UUID(0, 0);
        }

        @Override
        public long sectors() {
            return capacity / 4096;
        }

        @Override
        public String version() {
            return "2.0";
        }
    }

    /** ndctl 76's list -Nv of a Linux guest's v1.2 sector namespace (v12.out): the BTT's uuid and size, raw_uuid after. */
    @Test
    void aSectorNamespaceShowsItsBttAsNdctlDoes() {
        NamespaceInfo ns = info("namespace0.0", NamespaceMode.SECTOR, 50331648, "d557b2bc-e56c-11f1-9747-cb868faa0a78",
                4096, "pmem0s", true, null, List.of());
        Btt btt = new Btt("namespace0.0", UUID.fromString("d5f69a3a-e56c-11f1-9747-cb868faa0a78"), 4096, 49205248);
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "mode":"sector",
                  "size":49205248,
                  "uuid":"d5f69a3a-e56c-11f1-9747-cb868faa0a78",
                  "raw_uuid":"d557b2bc-e56c-11f1-9747-cb868faa0a78",
                  "sector_size":4096,
                  "blockdev":"pmem0s"
                }""", Json.print(NamespaceJson.of(ns, Optional.of(btt), false, false, true)));
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "mode":"sector",
                  "size":49205248,
                  "uuid":"d5f69a3a-e56c-11f1-9747-cb868faa0a78",
                  "sector_size":4096,
                  "blockdev":"pmem0s"
                }""", Json.print(NamespaceJson.of(ns, Optional.of(btt), false, false, false)));
    }

    /** ndctl 76 on a label-less namespace in sector mode (ll.out): the BTT's uuid, no raw_uuid. */
    @Test
    void aLabelLessSectorNamespaceShowsTheBttsUuid() {
        NamespaceInfo ns = new NamespaceInfo("namespace0.0", "region0", false, false, NamespaceMode.SECTOR, 67108864,
                Optional.empty(), Optional.empty(), OptionalInt.of(4096), Optional.of("pmem0s"), true, Optional.empty(),
                List.of());
        Btt btt = new Btt("namespace0.0", UUID.fromString("72655775-466f-46ab-a266-1bb73ae258fe"), 4096, 65961984);
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "mode":"sector",
                  "size":65961984,
                  "uuid":"72655775-466f-46ab-a266-1bb73ae258fe",
                  "sector_size":4096,
                  "blockdev":"pmem0s"
                }""", Json.print(NamespaceJson.of(ns, Optional.of(btt), false, false, true)));
    }
}
