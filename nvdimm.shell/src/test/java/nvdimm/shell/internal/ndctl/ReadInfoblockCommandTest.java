package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ndctl read-infoblock}: the BTT info block's fields as ndctl prints them with {@code -j} (the 64 MiB,
 * 4096-byte, v2.0 layout of the formats spec's table), the raw block with {@code -o}, and a refusal with the
 * count on stderr for a namespace without one.
 */
class ReadInfoblockCommandTest extends NamespaceTestBase {
    static final UUID BTT_UUID = UUID.fromString("7296ebd6-7039-4d02-9ed9-ac5f351ff0e4");
    static final UUID PARENT = UUID.fromString("46850d31-8fb5-4492-b630-9f3cd7b77500");

    /** A v2.0 BTT of 4096-byte sectors over 64 MiB, its first 8 KiB copied onto the namespace. */
    Namespace withBtt() throws Exception {
        run("create-namespace", "-r", "region0", "-s", "64m");
        Namespace ns = namespaces.find("namespace0.0").orElseThrow();
        try (Medium m = Media.memory("scratch", 64L << 20)) {
            Btt.format(m, BttVersion.V2_0, 4096, BTT_UUID, PARENT);
            byte[] head = new byte[8192];
            m.read(0, head);
            ns.write(0, MemorySegment.ofArray(head), false);
        }
        return ns;
    }

    @Test
    void theJsonCarriesNdctlsFieldsInItsOrder() throws Exception {
        withBtt();
        String json = (String) run("read-infoblock", "-j", "namespace0.0");
        assertEquals("""
                [
                  {
                    "dev":"namespace0.0",
                    "signature":"BTT_ARENA_INFO",
                    "uuid":"7296ebd6-7039-4d02-9ed9-ac5f351ff0e4",
                    "parent_uuid":"46850d31-8fb5-4492-b630-9f3cd7b77500",
                    "flags":0,
                    "version":"2.0",
                    "external_lbasize":4096,
                    "external_nlba":16105,
                    "internal_lbasize":4096,
                    "internal_nlba":16361,
                    "nfree":256,
                    "infosize":4096,
                    "nextoff":0,
                    "dataoff":4096,
                    "mapoff":67022848,
                    "logoff":67088384,
                    "info2off":67104768
                  }
                ]""", json);
        assertEquals("read 1 infoblock\n", stderr());
    }

    @Test
    void withoutJsonTheRawBlockGoesToTheFile(@TempDir Path dir) throws Exception {
        Namespace ns = withBtt();
        Path out = dir.resolve("ib.bin");
        run("read-infoblock", "-o", out.toString(), "namespace0.0");
        byte[] expected = new byte[4096];
        ns.read(0, MemorySegment.ofArray(expected));
        assertArrayEquals(expected, Files.readAllBytes(out));
    }

    @Test
    void aNamespaceWithoutABttInfoBlockIsRefused() throws Exception {
        run("create-namespace", "-r", "region0", "-s", "32m");
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("read-infoblock", "-j", "namespace0.0"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(stderr().endsWith("read 0 infoblocks\n"), stderr());
        NvdimmException none = assertThrows(NvdimmException.class, () -> run("read-infoblock", "-j", "namespace0.7"));
        assertEquals(Errno.ENXIO, none.errno());
        assertEquals("namespace0.7: no such namespace", none.detail());
        assertEquals("read 0 infoblocks\n", stderr(), "the failure is the command's own, printed once by the shell");
    }

    @Test
    void aDisabledNamespaceIsNamedAsDisabledNotMissing() throws Exception {
        run("create-namespace", "-r", "region0", "-s", "32m");
        run("disable-namespace", "namespace0.0");
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("read-infoblock", "namespace0.0"));
        assertEquals(Errno.ENXIO, e.errno());
        assertEquals("namespace0.0: the namespace is disabled", e.detail());
    }
}
