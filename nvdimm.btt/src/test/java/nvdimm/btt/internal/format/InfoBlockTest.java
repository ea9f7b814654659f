package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

class InfoBlockTest {

    static final UUID BTT_UUID = UUID.fromString("9b5cecda-e56c-11f1-930d-ef64097b1e52");
    static final UUID NS_UUID = UUID.fromString("51805176-e124-4f5b-8f3a-0123456789ab");

    static InfoBlock sample() {
        return BttLayout.plan(64L << 20, 512).arenas().getFirst().infoBlock(BttVersion.V1_1, BTT_UUID, NS_UUID);
    }

    @Test
    void fieldsLieWhereStructBttSbPutsThem() {
        byte[] b = sample().toBytes();
        assertEquals("4254545f4152454e415f494e464f0000", HexFormat.of().formatHex(b, 0, 16), "signature + 2 NULs");
        assertEquals("9b5cecdae56c11f1930def64097b1e52", HexFormat.of().formatHex(b, 16, 32), "uuid_t in text order");
        assertEquals("51805176e1244f5b8f3a0123456789ab", HexFormat.of().formatHex(b, 32, 48));
        assertEquals("00000000" + "0100" + "0100" + "00020000", HexFormat.of().formatHex(b, 48, 60));
        assertEquals("00100000", HexFormat.of().formatHex(b, 76, 80), "infosize 4096 little-endian");
        assertEquals("0010000000000000", HexFormat.of().formatHex(b, 88, 96), "dataoff 4096");
        assertTrue(InfoBlock.paddingIsZero(b));
    }

    @Test
    void decodeInvertsToBytesAndSealedChecksumsVerify() {
        InfoBlock info = sample();
        byte[] b = info.toBytes();
        assertEquals(info, InfoBlock.decode(b));
        assertArrayEquals(b, InfoBlock.decode(b).toBytes());
        assertEquals(BttChecksum.of(b), info.checksum());
        assertEquals(info, info.withChecksum(123).sealed());
    }

    @Test
    void unsigned32BitFieldsStayPositive() {
        byte[] b = new byte[InfoBlock.SIZE];
        java.util.Arrays.fill(b, (byte) 0xff);
        InfoBlock info = InfoBlock.decode(b);
        assertEquals(0xffff_ffffL, info.externalNlba());
        assertEquals(0xffff_ffffL, info.flags());
        assertEquals(0xffff, info.versionMajor());
        assertEquals(-1L, info.info2Off());
        assertTrue(info.errorFlag());
        assertArrayEquals(b, withOriginalSignatureAndPadding(info.toBytes(), b));
    }

    @Test
    void theErrorFlagIsBitZero() {
        InfoBlock info = sample();
        assertFalse(info.errorFlag());
        InfoBlock flagged = new InfoBlock(info.uuid(), info.parentUuid(), 1, 1, 1, 512, 1, 512, 257, 256, 4096, 0,
                4096, 8192, 12288, 16384, 0);
        assertTrue(flagged.errorFlag());
        assertFalse(new InfoBlock(info.uuid(), info.parentUuid(), 2, 1, 1, 512, 1, 512, 257, 256, 4096, 0, 4096,
                8192, 12288, 16384, 0).errorFlag());
    }

    @Test
    void aBlockOfAnotherLengthIsRefusedWithEinval() {
        NvdimmException e = assertThrows(NvdimmException.class, () -> InfoBlock.decode(new byte[4095]));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("4095"), e.getMessage());
    }

    /** Decoding and judging random bytes never throws: later issues fuzz the whole load path. */
    @Test
    void garbageDecodesWithoutThrowing() {
        Random random = new Random(7);
        byte[] b = new byte[InfoBlock.SIZE];
        for (int i = 0; i < 3000; i++) {
            random.nextBytes(b);
            if (i % 3 == 0) {
                System.arraycopy(InfoBlock.SIGNATURE, 0, b, 0, 16);
            }
            InfoBlock info = InfoBlock.decode(b);
            ArenaValidity v = ArenaValidity.of(b, java.util.Optional.of(NS_UUID));
            assertTrue(v != ArenaValidity.VALID || BttChecksum.of(b) == info.checksum());
        }
    }

    private static byte[] withOriginalSignatureAndPadding(byte[] encoded, byte[] original) {
        System.arraycopy(original, 0, encoded, 0, 16);
        System.arraycopy(original, 120, encoded, 120, 4088 - 120);
        return encoded;
    }
}
