package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import nvdimm.namespace.ClaimClass;

/** §1.1: which BTT version, at which offset, Linux uses. */
class BttVersionTest {

    @Test
    void probeVersionFollowsTheClaimClass() {
        assertEquals(Optional.of(BttVersion.V1_1), BttVersion.forClaimClass(ClaimClass.NONE));
        assertEquals(Optional.of(BttVersion.V1_1), BttVersion.forClaimClass(ClaimClass.BTT));
        assertEquals(Optional.of(BttVersion.V2_0), BttVersion.forClaimClass(ClaimClass.BTT2));
        assertEquals(Optional.empty(), BttVersion.forClaimClass(ClaimClass.PFN));
        assertEquals(Optional.empty(), BttVersion.forClaimClass(ClaimClass.DAX));
        assertEquals(Optional.empty(), BttVersion.forClaimClass(ClaimClass.UNKNOWN));
    }

    @Test
    void newBttsFollowTheLabels() {
        assertEquals(ClaimClass.BTT, BttVersion.claimClassForSectorMode(false, Optional.empty()));
        assertEquals(ClaimClass.BTT, BttVersion.claimClassForSectorMode(true, Optional.of("1.1")));
        assertEquals(ClaimClass.BTT2, BttVersion.claimClassForSectorMode(true, Optional.of("1.2")));
        assertEquals(ClaimClass.BTT2, BttVersion.claimClassForSectorMode(true, Optional.empty()));
        assertEquals(BttVersion.V1_1, BttVersion.forNewBtt(false, Optional.empty()));
        assertEquals(BttVersion.V1_1, BttVersion.forNewBtt(true, Optional.of("1.1")));
        assertEquals(BttVersion.V2_0, BttVersion.forNewBtt(true, Optional.of("1.2")));
    }

    @Test
    void versionsAndOffsets() {
        assertEquals(4096, BttVersion.V1_1.initialOffset());
        assertEquals(0, BttVersion.V2_0.initialOffset());
        assertEquals(1, BttVersion.V1_1.major());
        assertEquals(1, BttVersion.V1_1.minor());
        assertEquals(2, BttVersion.V2_0.major());
        assertEquals(0, BttVersion.V2_0.minor());
    }
}
