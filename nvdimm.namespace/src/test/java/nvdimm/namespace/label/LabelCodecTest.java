package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelCodecTest {

    static final int K128 = 128 * 1024;

    /** The table of nvdimm-formats.md §3.1. */
    @ParameterizedTest
    @CsvSource({"131072, 256, 256, 510", "131072, 128, 256, 1020", "262144, 256, 256, 1022", "262144, 128, 512, 2040"})
    void geometryFollowsTheCurrentFormula(long area, int labelSize, int indexSize, long nslot) {
        LabelGeometry g = LabelGeometry.of(area, LabelVersion.ofLabelSize(labelSize));
        assertEquals(indexSize, g.indexSize());
        assertEquals(nslot, g.nslot());
        assertEquals(2L * indexSize, g.labelBase());
        assertEquals(area, g.labelOffset(nslot));
    }

    @Test
    void tooSmallAreaIsRefused() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> LabelGeometry.of(1000, LabelVersion.V1_2));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @ParameterizedTest
    @CsvSource({"128", "256"})
    void initializedAreaIsByteForByteTheSpecsFreshArea(int labelSize) {
        byte[] media = new byte[K128];
        LabelAreaEditor.initialize(K128, LabelVersion.ofLabelSize(labelSize),
                (off, src, o, len) -> System.arraycopy(src, o, media, (int) off, len));
        assertArrayEquals(LabelFixtures.fresh(K128, labelSize), media);
    }

    @Test
    void guidsAreStoredMixedEndianAndUuidsInTextOrder() {
        NamespaceLabel label = new NamespaceLabel(UUID.fromString("51805176-e124-4a9c-8a3b-0123456789ab"), "", 0, 1, 0,
                0, 512, 0, 4096, 0, 0, NamespaceLabel.PMEM_TYPE_GUID,
                UUID.fromString("8aed63a2-29a2-4c66-8b12-f05d15d3922a"));
        byte[] b = label.encode(LabelVersion.V1_2);
        assertArrayEquals(LabelFixtures.hex("51 80 51 76 e1 24 4a 9c 8a 3b 01 23 45 67 89 ab"), Arrays.copyOfRange(b, 0, 16));
        assertArrayEquals(LabelFixtures.pmemTypeBytes(), Arrays.copyOfRange(b, 128, 144));
        assertArrayEquals(LabelFixtures.bttBytes(), Arrays.copyOfRange(b, 144, 160));
        assertEquals(label, NamespaceLabel.decode(b, 0, LabelVersion.V1_2));
        assertTrue(NamespaceLabel.checksumValid(b, 0, LabelVersion.V1_2));
        b[20] ^= 1;
        assertFalse(NamespaceLabel.checksumValid(b, 0, LabelVersion.V1_2));
    }

    @Test
    void v11LabelsHaveNoGuidsAlignOrChecksum() {
        NamespaceLabel label = new NamespaceLabel(UUID.randomUUID(), "n", 8, 2, 1, 5, 0, 4096, 8192, 3, 7,
                NamespaceLabel.PMEM_TYPE_GUID, NamespaceLabel.PMEM_TYPE_GUID);
        byte[] b = label.encode(LabelVersion.V1_1);
        assertEquals(128, b.length);
        NamespaceLabel back = NamespaceLabel.decode(b, 0, LabelVersion.V1_1);
        assertEquals(new NamespaceLabel(label.uuid(), "n", 8, 2, 1, 5, 0, 4096, 8192, 3, 0, NamespaceLabel.NULL_GUID,
                NamespaceLabel.NULL_GUID), back);
    }

    @Test
    void namesLongerThan63BytesAreRefused() {
        NamespaceLabel label = new NamespaceLabel(UUID.randomUUID(), "x".repeat(64), 0, 1, 0, 0, 0, 0, 4096, 0, 0,
                NamespaceLabel.NULL_GUID, NamespaceLabel.NULL_GUID);
        assertEquals(Errno.EINVAL, assertThrows(NvdimmException.class, () -> label.encode(LabelVersion.V1_2)).errno());
        NamespaceLabel ok = new NamespaceLabel(label.uuid(), "é".repeat(31) + "x", 0, 1, 0, 0, 0, 0, 4096, 0, 0,
                NamespaceLabel.NULL_GUID, NamespaceLabel.NULL_GUID);
        assertEquals(ok, NamespaceLabel.decode(ok.encode(LabelVersion.V1_2), 0, LabelVersion.V1_2));
    }

    /** §3.3: which index is current for each pair of sequence numbers; equal ones select index 1. */
    @ParameterizedTest
    @CsvSource({"3, 2, 0", "2, 3, 1", "1, 2, 1", "2, 1, 0", "3, 1, 1", "1, 3, 0", "2, 2, 1", "1, 1, 1", "7, 2, 0",
            "5, 6, 1"})
    void currentIndexIsChosenAsLinuxChoosesIt(int seq0, int seq1, int current) {
        byte[] area = LabelFixtures.fresh(K128, 256);
        LabelFixtures.writeIndex(area, 0, K128, 256, seq0, 510);
        LabelFixtures.writeIndex(area, 1, K128, 256, seq1, 510);
        LabelFixtures.markUsed(area, current, K128, 256, 4);
        LabelArea parsed = LabelArea.parse(area);
        assertEquals(current, parsed.current());
        assertFalse(parsed.freeSlots().contains(4));
        assertTrue(parsed.otherValid());
    }

    @Test
    void anIndexWithSequenceZeroOrBadChecksumIsSkipped() {
        byte[] area = LabelFixtures.fresh(K128, 128);
        LabelFixtures.writeIndex(area, 0, K128, 128, 0, 1020);
        assertEquals(1, LabelArea.parse(area).current());
        assertFalse(LabelArea.parse(area).otherValid());
        byte[] broken = LabelFixtures.fresh(K128, 128);
        broken[1] ^= 0x20; // index 0 loses its signature
        broken[256 + 100] ^= 1; // and index 1 its checksum
        NvdimmException e = assertThrows(NvdimmException.class, () -> LabelArea.parse(broken));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("index 0 has no signature, index 1 checksum mismatch"), e.getMessage());
    }

    /** ndctl's test/nmem1.bin style: an old kernel's nslot (1016 for 128 KiB v1.1) is honoured. */
    @Test
    void storedNslotIsHonoured() {
        byte[] area = new byte[K128];
        LabelFixtures.writeIndex(area, 0, K128, 128, 0, 1016);
        LabelFixtures.writeIndex(area, 1, K128, 128, 3, 1016);
        UUID uuid = UUID.fromString("6830f039-7914-423e-bad6-22bda8fde8d6");
        LabelFixtures.writeLabel(area, K128, 128, 0, uuid, "", 8, 4, 0, 0x0803f6d70100fefbL, 0, 0x1000000, 0x1000000,
                null, null);
        LabelFixtures.markUsed(area, 1, K128, 128, 0);
        LabelArea parsed = LabelArea.parse(area);
        assertEquals(1016, parsed.geometry().nslot());
        assertEquals(1015, parsed.freeSlots().size());
        assertEquals(LabelVersion.V1_1, parsed.version());
        NamespaceLabel l = parsed.labels().getFirst();
        assertEquals(uuid, l.uuid());
        assertEquals(NamespaceLabel.FLAG_UPDATING, l.flags());
        assertEquals(4, l.nlabel());
        assertEquals(0x0803f6d70100fefbL, l.isetCookie());
        assertEquals(0x1000000, l.dpa());
    }

    @Test
    void invalidSlotsInUseAreSkipped() {
        byte[] area = LabelFixtures.fresh(K128, 256);
        UUID u = UUID.randomUUID();
        // slot field wrong, dpa unaligned, checksum wrong, and one good
        LabelFixtures.writeLabel(area, K128, 256, 0, u, "a", 0, 1, 0, 1, 512, 0, 4096, LabelFixtures.pmemTypeBytes(), new byte[16]);
        area[512 + 120] = 9;
        LabelFixtures.writeLabel(area, K128, 256, 1, u, "b", 0, 1, 0, 1, 512, 512, 4096, LabelFixtures.pmemTypeBytes(), new byte[16]);
        LabelFixtures.writeLabel(area, K128, 256, 2, u, "c", 0, 1, 0, 1, 512, 0, 4096, LabelFixtures.pmemTypeBytes(), new byte[16]);
        area[512 + 2 * 256 + 30] ^= 1;
        LabelFixtures.writeLabel(area, K128, 256, 3, u, "d", 0, 1, 0, 1, 512, 8192, 4096, LabelFixtures.pmemTypeBytes(), new byte[16]);
        for (int s = 0; s < 4; s++) {
            LabelFixtures.markUsed(area, 0, K128, 256, s);
        }
        LabelArea parsed = LabelArea.parse(area);
        assertEquals(List.of("d"), parsed.labels().stream().map(NamespaceLabel::name).toList());
        assertEquals(506, parsed.freeSlots().size());
    }

    @Test
    void linuxV11AreaParses() {
        LabelArea a = LabelArea.parse(LabelFixtures.linuxV11());
        String info = "kernel-btt-labeled-v1.1-512.info.json";
        assertEquals(LabelVersion.V1_1, a.version());
        assertEquals(0, a.current());
        assertEquals(1020, a.geometry().nslot());
        assertEquals(1, a.labels().size());
        NamespaceLabel l = a.labels().getFirst();
        assertEquals(UUID.fromString(LabelFixtures.jsonValue(info, "\"in_use\": true", "uuid")), l.uuid());
        assertEquals(LabelFixtures.jsonValue(info, "\"in_use\": true", "name"), l.name());
        assertEquals(Long.parseLong(LabelFixtures.jsonValue(info, "\"in_use\": true", "rawsize")), l.rawSize());
        assertEquals(Long.parseLong(LabelFixtures.jsonValue(info, "\"in_use\": true", "lbasize")), l.lbaSize());
        assertEquals(1, l.slot());
        assertEquals(0, l.flags());
        assertEquals(LabelFixtures.QEMU0_COOKIE1, l.isetCookie());
        assertEquals(NamespaceLabel.NULL_GUID, l.abstractionGuid());
    }

    @Test
    void linuxV12AreaParses() {
        LabelArea a = LabelArea.parse(LabelFixtures.linuxV12());
        String info = "kernel-btt-labeled-v1.2-4096.info.json";
        assertEquals(LabelVersion.V1_2, a.version());
        assertEquals(510, a.geometry().nslot());
        assertEquals(509, a.freeSlots().size());
        NamespaceLabel l = a.labels().getFirst();
        assertEquals(UUID.fromString(LabelFixtures.jsonValue(info, "\"in_use\": true", "uuid")), l.uuid());
        assertEquals(Long.parseLong(LabelFixtures.jsonValue(info, "\"in_use\": true", "rawsize")), l.rawSize());
        assertEquals(4096, l.lbaSize());
        assertEquals(LabelFixtures.QEMU0_COOKIE2, l.isetCookie());
        assertEquals(NamespaceLabel.PMEM_TYPE_GUID, l.typeGuid());
        assertEquals(UUID.fromString(LabelFixtures.jsonValue(info, "\"in_use\": true", "abstraction_guid")),
                l.abstractionGuid());
    }

    /** What Linux wrote re-encodes to the same bytes: labels and index blocks. */
    @Test
    void linuxAreasReencodeByteForByte() {
        for (byte[] area : List.of(LabelFixtures.linuxV11(), LabelFixtures.linuxV12())) {
            LabelArea a = LabelArea.parse(area);
            int labelSize = a.geometry().labelSize();
            NamespaceLabel l = a.labels().getFirst();
            int at = (int) a.geometry().labelOffset(l.slot());
            assertArrayEquals(Arrays.copyOfRange(area, at, at + labelSize), l.encode(a.version()));
            IndexBlock cur = a.currentIndex();
            // Linux leaves bitmap bits past nslot set; ours clears them, so compare the header and the checksum validity
            byte[] ours = cur.encode(a.geometry().indexSize());
            assertArrayEquals(Arrays.copyOfRange(area, 0, 64), Arrays.copyOfRange(ours, 0, 64));
        }
    }

    @Test
    void garbageIsRefusedWithEinvalOnly() {
        Random random = new Random(1);
        for (int size : new int[] {0, 1, 255, 1024, 4096, K128}) {
            for (int round = 0; round < 20; round++) {
                byte[] area = new byte[size];
                if (round > 0) {
                    random.nextBytes(area);
                }
                NvdimmException e = assertThrows(NvdimmException.class, () -> LabelArea.parse(area));
                assertEquals(Errno.EINVAL, e.errno());
            }
        }
        assertTrue(LabelArea.tryParse(new byte[K128]).isEmpty());
    }
}
