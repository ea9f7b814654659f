package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Property tests of the codec: round trips, and nothing but EINVAL from damaged or random areas. */
class LabelCodecProperties {

    @Provide
    Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', 'ü', '名').ofMaxLength(63)
                .filter(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 63);
    }

    @Provide
    Arbitrary<NamespaceLabel> labels() {
        Arbitrary<UUID> u = uuids();
        return Combinators.combine(u, names(), Arbitraries.integers(), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xffff), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs())
                .flatAs((uuid, name, flags, nlabel, position, cookie, lba, dpa) -> Combinators.combine(Arbitraries.longs(),
                        Arbitraries.longs().between(0, 0xffff_ffffL), Arbitraries.integers().between(0, 255), u, u)
                        .as((raw, slot, align, type, abstraction) -> new NamespaceLabel(uuid, name, flags, nlabel, position,
                                cookie, lba, dpa, raw, slot, align, type, abstraction)));
    }

    @Property
    void v12LabelsRoundTrip(@ForAll("labels") NamespaceLabel label) {
        byte[] b = label.encode(LabelVersion.V1_2);
        assertEquals(label, NamespaceLabel.decode(b, 0, LabelVersion.V1_2));
        assertTrue(NamespaceLabel.checksumValid(b, 0, LabelVersion.V1_2));
    }

    @Property
    void v11LabelsRoundTripWithoutTheV12Fields(@ForAll("labels") NamespaceLabel label) {
        NamespaceLabel back = NamespaceLabel.decode(label.encode(LabelVersion.V1_1), 0, LabelVersion.V1_1);
        assertEquals(new NamespaceLabel(label.uuid(), label.name(), label.flags(), label.nlabel(), label.position(),
                label.isetCookie(), label.lbaSize(), label.dpa(), label.rawSize(), label.slot(), 0, NamespaceLabel.NULL_GUID,
                NamespaceLabel.NULL_GUID), back);
    }

    @Property
    void indexBlocksRoundTrip(@ForAll @IntRange(min = 0, max = 1) int which, @ForAll @IntRange(min = 1, max = 4) int quarters,
            @ForAll long seq, @ForAll @IntRange(min = 0, max = 0xffffff) int flags, @ForAll("uuids") UUID bits) {
        LabelVersion v = quarters % 2 == 0 ? LabelVersion.V1_2 : LabelVersion.V1_1;
        LabelGeometry g = LabelGeometry.of(quarters * 64 * 1024L, v);
        BitSet free = BitSet.valueOf(new long[] {bits.getMostSignificantBits(), bits.getLeastSignificantBits(), -1L});
        free.clear((int) g.nslot(), Math.max(free.length(), (int) g.nslot()));
        IndexBlock fresh = IndexBlock.fresh(g, which, seq & 0xffff_ffffL);
        IndexBlock index = new IndexBlock(IndexBlock.SIGNATURE, flags, fresh.labelSizeCode(), fresh.seq(), fresh.myOff(),
                fresh.mySize(), fresh.otherOff(), fresh.labelOff(), fresh.nslot(), fresh.major(), fresh.minor(), 0, free);
        byte[] b = index.encode(g.indexSize());
        IndexBlock back = IndexBlock.decode(b, 0, g.indexSize());
        assertEquals(free, back.free());
        assertEquals(index.seq(), back.seq());
        assertEquals(flags, back.flags());
        assertTrue(IndexBlock.checksumMatches(b, 0, g.indexSize()));
        assertEquals(index, new IndexBlock(back.signature(), back.flags(), back.labelSizeCode(), back.seq(), back.myOff(),
                back.mySize(), back.otherOff(), back.labelOff(), back.nslot(), back.major(), back.minor(), 0, back.free()));
    }

    @Property(tries = 300)
    void damagedAreasParseOrFailWithEinvalOnly(@ForAll @IntRange(min = 0, max = 1) int linux,
            @ForAll List<@IntRange(min = 0, max = 131071) Integer> offsets, @ForAll List<Byte> values) {
        byte[] area = linux == 0 ? LabelFixtures.linuxV11() : LabelFixtures.linuxV12();
        for (int i = 0; i < Math.min(offsets.size(), values.size()); i++) {
            area[offsets.get(i) % 1024] = values.get(i); // the index blocks and the first slots
        }
        try {
            LabelArea a = LabelArea.parse(area);
            assertTrue(a.labels().size() <= 1);
        } catch (NvdimmException e) {
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Property(tries = 200)
    void randomBytesFailWithEinvalOnly(@ForAll byte[] area) {
        try {
            LabelArea.parse(area);
        } catch (NvdimmException e) {
            assertEquals(Errno.EINVAL, e.errno());
        }
    }
}
