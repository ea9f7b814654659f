package nvdimm.bus.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MediumEventTest {

    @Test
    void storesCompareByContent() {
        MediumEvent.Store store = new MediumEvent.Store(8, new byte[] {1, 2}, true);
        assertEquals(store, new MediumEvent.Store(8, new byte[] {1, 2}, true));
        assertEquals(store.hashCode(), new MediumEvent.Store(8, new byte[] {1, 2}, true).hashCode());
        assertNotEquals(store, new MediumEvent.Store(16, new byte[] {1, 2}, true));
        assertNotEquals(store, new MediumEvent.Store(8, new byte[] {1, 3}, true));
        assertNotEquals(store, new MediumEvent.Store(8, new byte[] {1, 2}, false));
        assertNotEquals(store, new MediumEvent.Persist(8, 2));
        assertNotEquals(store.hashCode(), new MediumEvent.Store(8, new byte[] {1, 3}, true).hashCode());
    }

    @Test
    void storesKeepTheirOwnBytes() {
        byte[] bytes = {1, 2};
        MediumEvent.Store store = new MediumEvent.Store(0, bytes, false);
        bytes[0] = 9;
        store.bytes()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, store.bytes());
    }

    @Test
    void storesShowUpToSixteenBytes() {
        assertEquals("store(0, 000102030405060708090a0b0c0d0e0f)", new MediumEvent.Store(0, sequence(16), false).toString());
        assertEquals("atomic store(8, 17 bytes)", new MediumEvent.Store(8, sequence(17), true).toString());
    }

    @Test
    void markersNeedALabel() {
        assertThrows(NullPointerException.class, () -> new MediumEvent.Marker(null));
    }

    private static byte[] sequence(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
