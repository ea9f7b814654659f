package nvdimm.virtio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtioConfigParserTest {

    private static final Path DATA = Path.of("/data");

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "nvdimm.virtio~vp0");
        m.put("component.name", "nvdimm.virtio");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                m.remove(keyValues[i]);
            } else {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

    @Test
    void aMinimalConfigurationTakesTheDefaultsAndTheNameFromThePid() {
        VirtioSpec s = VirtioConfigParser.parse(config("path", "media/vp0.img", "size", "64M"), DATA);
        assertEquals("vp0", s.name());
        assertEquals(Path.of("/data/media/vp0.img"), s.path());
        assertEquals(64L << 20, s.size());
        assertEquals(128, s.queueSize());
        assertEquals(1, s.hostThreads());
        assertEquals("nvdimm.virtio~vp0", s.source());
    }

    @Test
    void everyKeyIsRead() {
        VirtioSpec s = VirtioConfigParser.parse(config("name", "fast", "path", "/abs/x.img", "size", "1G",
                "queue.size", "256", "host.threads", "4"), DATA);
        assertEquals("fast", s.name());
        assertEquals(Path.of("/abs/x.img"), s.path());
        assertEquals(1L << 30, s.size());
        assertEquals(256, s.queueSize());
        assertEquals(4, s.hostThreads());
        assertEquals(Path.of("/abs/x.img"), VirtioConfigParser.parse(config("path", "/abs/../abs/x.img", "size", "4096"),
                null).path());
        assertEquals(64, VirtioConfigParser.parse(config("path", "x", "size", "4K", "queue.size", 64), DATA).queueSize());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "path|       |size|64M|queue.size|128 |path: missing",
        "path|x.img  |size|   |queue.size|128 |size: missing",
        "path|x.img  |size|64X|queue.size|128 |size: '64X' is unknown unit",
        "path|x.img  |size|4097|queue.size|128|size: 4097 is not a positive multiple of 4096",
        "path|x.img  |size|0  |queue.size|128 |size: 0 is not a positive multiple of 4096",
        "path|x.img  |size|64M|queue.size|100 |queue.size: 100 is not a power of two from 1 to 32768",
        "path|x.img  |size|64M|queue.size|0   |queue.size: 0 is not a power of two",
        "path|x.img  |size|64M|queue.size|65536|queue.size: 65536 is not a power of two",
        "path|x.img  |size|64M|queue.size|many|queue.size: 'many' is not a whole number",
        "path|x.img  |size|64M|host.threads|0 |host.threads: 0 is not from 1 to 64",
        "path|x.img  |size|64M|host.threads|65|host.threads: 65 is not from 1 to 64",
        "path|x.img  |size|64M|queue.sise|8   |queue.sise: unknown property",
        "path|x.img  |size|64M|name|a/b       |name: 'a/b' is not a name",
        "path|a\u0000b|size|64M|name|ok      |path: 'a\u0000b' is not a path",
    })
    void aBadValueIsRefusedNamingTheConfigurationAndTheKey(String k1, String v1, String k2, String v2, String k3,
            String v3, String expected) {
        NvdimmException e = assertThrows(NvdimmException.class,
                () -> VirtioConfigParser.parse(config(k1, v1, k2, v2, k3, v3), DATA));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("nvdimm.virtio~vp0: " + expected), e.getMessage());
    }

    @Test
    void aPidWithoutAUsableNameNeedsTheNameKey() {
        Map<String, Object> c = config("path", "x", "size", "4K");
        c.put("service.pid", "nvdimm.virtio~bad name");
        NvdimmException e = assertThrows(NvdimmException.class, () -> VirtioConfigParser.parse(c, DATA));
        assertTrue(e.getMessage().contains("name: cannot derive a device name"), e.getMessage());
    }
}
