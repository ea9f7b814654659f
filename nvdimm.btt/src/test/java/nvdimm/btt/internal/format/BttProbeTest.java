package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.namespace.ClaimClass;

/** {@code nd_btt_probe}: the claim class picks the offset and version; anything else is no BTT. */
class BttProbeTest {

    private static final long SIZE = 32L << 20;

    private static Medium withBtt(BttVersion version) {
        Medium medium = Media.memory("ns", SIZE);
        FreshLayout.write(medium, version.initialOffset(), BttLayout.plan(SIZE - version.initialOffset(), 4096),
                version, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID);
        return medium;
    }

    @Test
    void eachVersionIsFoundOnlyThroughItsClaimClass() {
        try (Medium v11 = withBtt(BttVersion.V1_1); Medium v20 = withBtt(BttVersion.V2_0)) {
            assertEquals(BttVersion.V1_1, BttProbe.probe(v11, 0, SIZE, ClaimClass.NONE, Optional.empty())
                    .orElseThrow().version());
            assertEquals(BttVersion.V1_1, BttProbe.probe(v11, 0, SIZE, ClaimClass.BTT, Optional.empty())
                    .orElseThrow().version());
            assertTrue(BttProbe.probe(v11, 0, SIZE, ClaimClass.BTT2, Optional.empty()).isEmpty());
            assertEquals(BttVersion.V2_0, BttProbe.probe(v20, 0, SIZE, ClaimClass.BTT2, Optional.empty())
                    .orElseThrow().version());
            assertTrue(BttProbe.probe(v20, 0, SIZE, ClaimClass.NONE, Optional.empty()).isEmpty());
            assertTrue(BttProbe.probe(v11, 0, SIZE, ClaimClass.PFN, Optional.empty()).isEmpty());
            assertTrue(BttProbe.probe(v11, 0, SIZE, ClaimClass.UNKNOWN, Optional.empty()).isEmpty());
        }
    }

    @Test
    void aBlockOfTheWrongVersionAtTheRightPlaceIsNoBtt() {
        try (Medium medium = Media.memory("ns", SIZE)) {
            ArenaGeometry a = BttLayout.plan(SIZE, 512).arenas().getFirst();
            medium.write(0, a.infoBlock(BttVersion.V1_1, InfoBlockTest.BTT_UUID, InfoBlock.NIL_UUID).toBytes());
            assertTrue(BttProbe.probe(medium, 0, SIZE, ClaimClass.BTT2, Optional.empty()).isEmpty());
        }
    }

    @Test
    void namespacesUnder16MibAreNotProbed() {
        try (Medium medium = withBtt(BttVersion.V2_0)) {
            assertTrue(BttProbe.probe(medium, 0, (16L << 20) - 1, ClaimClass.BTT2, Optional.empty()).isEmpty());
            assertTrue(BttProbe.probe(medium, 0, 16L << 20, ClaimClass.BTT2, Optional.empty()).isPresent());
        }
    }
}
