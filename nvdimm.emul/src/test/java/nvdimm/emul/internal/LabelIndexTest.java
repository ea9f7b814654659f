package nvdimm.emul.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import nvdimm.bus.Fletcher64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelIndexTest {

    private static final int AREA = 128 * 1024;

    private static boolean valid(byte[] area) {
        return LabelIndex.hasValidIndex(dst -> System.arraycopy(area, 0, dst, 0, dst.length),
                area.length);
    }

    @ParameterizedTest(name = "{0} bytes, {1}-byte labels: index {2}")
    @CsvSource({"131072, 256, 256", "131072, 128, 256", "262144, 256, 256", "262144, 128, 512", "1048576, 128, 1280"})
    void indexSizesFollowTheCurrentFormula(long area, int label, long index) {
        assertEquals(index, LabelIndex.indexSize(area, label));
        assertEquals(index, LabelAreas.indexSize((int) area, label));
    }

    @Test
    void indexSizesAgreeWithTheTestsOwnFormulaOverManyAreaSizes() {
        for (int area = 768; area <= 4 << 20; area += area < 65536 ? 8 : 4093) {
            for (int label : new int[] {128, 256}) {
                long expected = LabelAreas.nslot(area, label) < 2 ? 0 : LabelAreas.indexSize(area, label);
                assertEquals(expected, LabelIndex.indexSize(area, label), area + " bytes, " + label + "-byte labels");
            }
        }
    }

    @Test
    void areasTooSmallForTwoIndexesAndTwoLabelsHaveNoIndexSize() {
        assertEquals(0, LabelIndex.indexSize(512, 256));
        assertEquals(0, LabelIndex.indexSize(767, 128));
        assertEquals(256, LabelIndex.indexSize(768, 128));
        assertEquals(0, LabelIndex.indexSize(0, 256));
    }

    @Test
    void freshAreasOfBothLabelVersionsHaveAValidIndex() {
        assertTrue(valid(LabelAreas.fresh(AREA, 256)));
        assertTrue(valid(LabelAreas.fresh(AREA, 128)));
        assertTrue(valid(LabelAreas.fresh(256 * 1024, 128)));
        assertTrue(valid(LabelAreas.fresh(1024 * 1024, 256)));
    }

    @Test
    void zerosAndNoiseHaveNone() {
        assertFalse(valid(new byte[AREA]));
        byte[] noise = new byte[AREA];
        new Random(1).nextBytes(noise);
        assertFalse(valid(noise));
    }

    @Test
    void eitherIndexAloneIsEnough() {
        byte[] area = LabelAreas.fresh(AREA, 256);
        area[64] ^= 1; // index 0's checksum is now wrong
        assertTrue(valid(area));
        area[256 + 64] ^= 1; // and index 1's
        assertFalse(valid(area));
        byte[] onlyZero = LabelAreas.fresh(AREA, 256);
        Arrays.fill(onlyZero, 256, 512, (byte) 0);
        assertTrue(valid(onlyZero));
    }

    /** Index 0 alone, with one field changed and the checksum recomputed: each check on its own. */
    private static void assertRefused(int labelSize, Consumer<ByteBuffer> change) {
        assertRefused(AREA, labelSize, change);
    }

    private static void assertRefused(int areaSize, int labelSize, Consumer<ByteBuffer> change) {
        byte[] area = LabelAreas.fresh(areaSize, labelSize);
        int size = LabelAreas.indexSize(areaSize, labelSize);
        Arrays.fill(area, size, 2 * size, (byte) 0);
        assertTrue(valid(area), "control");
        change.accept(ByteBuffer.wrap(area, 0, size).slice().order(ByteOrder.LITTLE_ENDIAN));
        LabelAreas.reseal(area, 0, size);
        assertFalse(valid(area));
    }

    @Test
    void eachCheckRefusesOnItsOwn() {
        assertRefused(256, b -> b.put(0, (byte) 'n')); // signature
        assertRefused(256, b -> b.put(15, (byte) 'X')); // signature's NUL
        assertRefused(256, b -> b.putInt(20, 0)); // seq 0
        assertRefused(256, b -> b.putInt(20, 4)); // seq & 3 == 0
        assertRefused(256, b -> b.putLong(24, 256)); // myoff
        assertRefused(256, b -> b.putLong(40, 0)); // otheroff
        assertRefused(256, b -> b.putLong(32, 71)); // mysize below the header
        assertRefused(256, b -> b.putLong(32, 257)); // mysize above the index size
        assertRefused(256, b -> b.putInt(56, 511)); // nslot: 511 * 256 + 512 > 128K
        assertRefused(256, b -> b.putInt(56, -1)); // nslot as unsigned
        assertRefused(256, b -> b.put(19, (byte) 9)); // nonsense size code
        // In 256 KiB the two label sizes give different index sizes (256 and 512 bytes), so an index
        // that states the other label size is checked, and refused, as an index of the other layout.
        int big = 256 * 1024;
        assertRefused(big, 256, b -> b.put(19, (byte) 0)); // v1.2 saying 128-byte labels
        assertRefused(big, 256, b -> b.putShort(62, (short) 1)); // v1.1 implies 128-byte labels
        assertRefused(big, 128, b -> {
            b.putShort(62, (short) 2);
            b.put(19, (byte) 1);
        }); // a 128-byte layout saying 256-byte labels
    }

    @Test
    void aLabelSizeTheLayoutAllowsEitherWayIsAccepted() {
        // In 128 KiB both label sizes give 256-byte indexes, and 510 slots of 128 bytes fit too.
        byte[] area = LabelAreas.fresh(AREA, 256);
        ByteBuffer b = ByteBuffer.wrap(area, 0, 256).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.put(19, (byte) 0);
        LabelAreas.reseal(area, 0, 256);
        Arrays.fill(area, 256, 512, (byte) 0);
        assertTrue(valid(area));
    }

    @Test
    void theBoundaryValuesThatAreAllowedAreAccepted() {
        byte[] area = LabelAreas.fresh(AREA, 256);
        ByteBuffer b = ByteBuffer.wrap(area, 0, 256).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(20, 1);
        b.putLong(32, 72);
        b.putInt(56, 510);
        LabelAreas.reseal(area, 0, 256);
        Arrays.fill(area, 256, 512, (byte) 0);
        assertTrue(valid(area));
        b.putLong(32, 256);
        b.putInt(20, 0x7);
        LabelAreas.reseal(area, 0, 256);
        assertTrue(valid(area));
    }

    @Test
    void theMainFletcherAgreesWithTheTestOne() {
        byte[] data = new byte[1027];
        new Random(3).nextBytes(data);
        for (int len : new int[] {0, 3, 4, 256, 1024, 1027}) {
            assertEquals(LabelAreas.fletcher64(data, 0, len), Fletcher64.of(data, 0, len), "length " + len);
        }
        assertEquals(LabelAreas.fletcher64(data, 4, 512), Fletcher64.of(data, 4, 512));
        byte[] ones = new byte[8];
        Arrays.fill(ones, (byte) 0xff);
        assertEquals(0xfffffffdL << 32 | 0xfffffffeL, Fletcher64.of(ones, 0, 8));
    }
}
