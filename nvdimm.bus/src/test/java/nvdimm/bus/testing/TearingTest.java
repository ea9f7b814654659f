package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The recording medium is at least as pessimistic as the {@code Medium} contract about bulk
 * writes: metadata updated with a bulk write at an unaligned offset can be found torn after a crash,
 * the same update with an atomic 8-byte store never.
 */
class TearingTest {

    private static final long OLD = 0x1111_1111_1111_1111L;
    private static final long NEW = 0x2222_2222_2222_2222L;

    /** A medium whose 8-byte metadata field at 64 holds OLD, persisted. */
    private static RecordingMedium withField() {
        RecordingMedium medium = new RecordingMedium("meta", 128);
        medium.writeLong(64, OLD);
        medium.sync();
        return medium;
    }

    /** Every value the field at 64 takes over all crash images of the present moment. */
    private static Set<Long> fieldValues(RecordingMedium medium) {
        Set<Long> values = new TreeSet<>();
        medium.crashPoint().forEachImage(Long.MAX_VALUE, 1, 0, image -> values.add(image.readLong(64)));
        return values;
    }

    private static byte[] littleEndian(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }

    @Test
    void anAtomicMetadataUpdateIsNeverTorn() {
        RecordingMedium medium = withField();
        medium.writeLong(64, NEW);
        assertEquals(Set.of(OLD, NEW), fieldValues(medium));
    }

    /** Negative control: the same update through an unaligned bulk write (bytes 60..72) may tear the field. */
    @Test
    void theSameUpdateAsAnUnalignedBulkWriteTears() {
        RecordingMedium medium = withField();
        byte[] record = new byte[12];
        System.arraycopy(littleEndian(NEW), 0, record, 4, 8); // 4 unchanged bytes, then the field
        medium.write(60, record);
        Set<Long> values = fieldValues(medium);
        assertTrue(values.contains(OLD) && values.contains(NEW), values.toString());
        assertTrue(values.size() > 2, "an unaligned bulk write of the field never tore it: " + values);
        // torn at the write's misalignment: the field's low half from one 8-byte unit, its high half from the next
        assertTrue(values.contains(0x1111_1111_2222_2222L), values.toString());
        assertTrue(values.contains(0x2222_2222_1111_1111L), values.toString());
    }

    @Test
    void anAlignedBulkWriteKeepsEachWordWhole() {
        RecordingMedium medium = withField();
        medium.write(64, littleEndian(NEW));
        assertEquals(Set.of(OLD, NEW), fieldValues(medium));
    }

    @Test
    void aTornValueIsPersistedAwayByTheBarrier() {
        RecordingMedium medium = withField();
        byte[] record = new byte[12];
        System.arraycopy(littleEndian(NEW), 0, record, 4, 8);
        medium.write(60, record);
        medium.persist(56, 16);
        assertEquals(Set.of(NEW), fieldValues(medium));
    }

    @Test
    void theReplayTearsAsTheLiveStateDoes() {
        RecordingMedium medium = withField();
        medium.clearLog();
        byte[] record = new byte[12];
        System.arraycopy(littleEndian(NEW), 0, record, 4, 8);
        medium.write(60, record);
        medium.persist(56, 16);
        Set<Long> values = new TreeSet<>();
        medium.crashPoints(point -> {
            if (point.index() == 0) {
                point.forEachImage(Long.MAX_VALUE, 1, 0, image -> values.add(image.readLong(64)));
            }
        });
        assertEquals(4, values.size(), values.toString());
    }
}
