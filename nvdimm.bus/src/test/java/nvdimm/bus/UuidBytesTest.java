package nvdimm.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Linux's uuid_t and guid_t byte orders, with the spec's on-media bytes of the BTT2 abstraction GUID. */
class UuidBytesTest {

    private static final UUID BTT2 = UUID.fromString("18633bfc-1735-4217-8ac9-17239282d3f8");

    @Test
    void aGuidIsStoredWithItsFirstThreeFieldsLittleEndian() {
        byte[] b = new byte[20];
        UuidBytes.putGuid(b, 2, BTT2);
        assertEquals("fc3b6318351717428ac917239282d3f8", HexFormat.of().formatHex(b, 2, 18));
        assertEquals(BTT2, UuidBytes.guid(b, 2));
        assertEquals(UUID.fromString("fc3b6318-3517-1742-8ac9-17239282d3f8"), UuidBytes.uuid(b, 2),
                "read as a uuid_t it prints as ndctl prints the raw GUID");
    }

    @Test
    void aUuidIsStoredInTextOrder() {
        byte[] b = new byte[16];
        UuidBytes.putUuid(b, 0, BTT2);
        assertArrayEquals(HexFormat.of().parseHex("18633bfc173542178ac917239282d3f8"), b);
        assertEquals(BTT2, UuidBytes.uuid(b, 0));
    }
}
