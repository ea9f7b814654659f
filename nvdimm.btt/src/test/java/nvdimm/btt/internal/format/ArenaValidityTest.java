package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** {@code nd_btt_arena_is_valid}: signature, parent uuid, checksum, in that order; the error flag is no reason. */
class ArenaValidityTest {

    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static byte[] block(UUID parent) {
        return BttLayout.plan(64L << 20, 4096).arenas().getFirst()
                .infoBlock(BttVersion.V2_0, InfoBlockTest.BTT_UUID, parent).toBytes();
    }

    @Test
    void everySignatureByteCountsTheTwoNulsToo() {
        for (int i = 0; i < 16; i++) {
            byte[] b = block(InfoBlock.NIL_UUID);
            b[i] ^= 0x20;
            assertEquals(ArenaValidity.BAD_SIGNATURE, ArenaValidity.of(b, Optional.empty()), "byte " + i);
        }
        assertEquals(ArenaValidity.BAD_SIGNATURE, ArenaValidity.of(new byte[4095], Optional.empty()));
    }

    @Test
    void aNilParentIsAcceptedEverywhereAnotherOnlyOnItsNamespace() {
        byte[] nil = block(InfoBlock.NIL_UUID);
        assertEquals(ArenaValidity.VALID, ArenaValidity.of(nil, Optional.empty()));
        assertEquals(ArenaValidity.VALID, ArenaValidity.of(nil, Optional.of(InfoBlockTest.NS_UUID)));
        byte[] owned = block(InfoBlockTest.NS_UUID);
        assertEquals(ArenaValidity.VALID, ArenaValidity.of(owned, Optional.of(InfoBlockTest.NS_UUID)));
        assertEquals(ArenaValidity.FOREIGN_PARENT, ArenaValidity.of(owned, Optional.of(OTHER)));
        assertEquals(ArenaValidity.FOREIGN_PARENT, ArenaValidity.of(owned, Optional.empty()),
                "a label-less namespace's uuid is nil");
    }

    @Test
    void anyChangedByteBreaksTheChecksumThePaddingToo() {
        for (int at : new int[] {16, 48, 52, 60, 80, 119, 120, 2000, 4087, 4088, 4095}) {
            byte[] b = block(InfoBlock.NIL_UUID);
            b[at] ^= 1;
            assertEquals(ArenaValidity.BAD_CHECKSUM, ArenaValidity.of(b, Optional.empty()), "byte " + at);
        }
    }

    @Test
    void theSignatureIsCheckedBeforeTheParentAndTheParentBeforeTheChecksum() {
        byte[] b = block(OTHER);
        b[100] ^= 1;
        assertEquals(ArenaValidity.FOREIGN_PARENT, ArenaValidity.of(b, Optional.empty()));
        b[0] = 0;
        assertEquals(ArenaValidity.BAD_SIGNATURE, ArenaValidity.of(b, Optional.empty()));
    }

    @Test
    void anErrorFlagDoesNotInvalidateButIsReported() {
        InfoBlock info = InfoBlock.decode(block(InfoBlock.NIL_UUID));
        InfoBlock flagged = new InfoBlock(info.uuid(), info.parentUuid(), InfoBlock.FLAG_ERROR, info.versionMajor(),
                info.versionMinor(), info.externalLbaSize(), info.externalNlba(), info.internalLbaSize(),
                info.internalNlba(), info.nfree(), info.infoSize(), info.nextOff(), info.dataOff(), info.mapOff(),
                info.logOff(), info.info2Off(), 0).sealed();
        assertEquals(ArenaValidity.VALID, ArenaValidity.of(flagged.toBytes(), Optional.empty()));
        assertEquals(true, InfoBlock.decode(flagged.toBytes()).errorFlag());
    }
}
