package nvdimm.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.namespace.Claim;
import nvdimm.namespace.NamespaceMode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every {@link nvdimm.namespace.Namespaces} method refuses bad input with the errno ndctl reports and a
 * message naming the argument, and changes nothing: labels, devices and their states, raw disks and
 * capacities are compared before and after.
 */
class NamespaceBadInputTest extends NamespaceTestBase {
    UUID taken;

    @BeforeEach
    void twoNamespaces() {
        start(standardBus());
        taken = namespaces.create(spec("region0", 16 * MIB)).uuid().orElseThrow();
        namespaces.create(spec("region0", 16 * MIB));
        namespaces.disable("namespace0.1");
    }

    /** Refused with {@code errno}, the message containing {@code words}, and nothing changed. */
    void refusedUnchanged(Errno errno, String words, Executable call) {
        String before = state();
        String msg = refused(errno, call).getMessage();
        assertTrue(msg.contains(words), () -> "'" + words + "' not in: " + msg);
        assertEquals(before, state());
    }

    @Test
    void create() {
        refusedUnchanged(Errno.ENODEV, "region7", () -> namespaces.create(spec("region7", 0)));
        refusedUnchanged(Errno.ENODEV, "x", () -> namespaces.create(spec("x", 0)));
        refusedUnchanged(Errno.EINVAL, "not a multiple of 8 KiB", () -> namespaces.create(spec("region0", 4 * 1024)));
        refusedUnchanged(Errno.EINVAL, "did you mean 16 MiB", () -> namespaces.create(spec("region0", 16 * MIB - 4096)));
        refusedUnchanged(Errno.EINVAL, "size -8192", () -> namespaces.create(spec("region0", -8192)));
        refusedUnchanged(Errno.ENOSPC, "64 MiB requested, largest free extent 32 MiB",
                () -> namespaces.create(spec("region0", 64 * MIB)));
        refusedUnchanged(Errno.ENOSPC, "1 TiB requested", () -> namespaces.create(spec("region0", 1L << 40)));
        refusedUnchanged(Errno.EOPNOTSUPP, "fsdax", () -> namespaces.create(spec("region0", 0, NamespaceMode.FSDAX,
                null, null, null)));
        refusedUnchanged(Errno.EOPNOTSUPP, "devdax", () -> namespaces.create(spec("region0", 0, NamespaceMode.DEVDAX,
                null, null, null)));
        refusedUnchanged(Errno.EOPNOTSUPP, "sector mode needs the nvdimm.btt bundle",
                () -> namespaces.create(spec("region0", 0, NamespaceMode.SECTOR, null, null, null)));
        refusedUnchanged(Errno.EINVAL, "sector size 1024", () -> namespaces.create(spec("region0", 0, NamespaceMode.RAW,
                null, null, 1024)));
        refusedUnchanged(Errno.EINVAL, "name of 64 bytes", () -> namespaces.create(spec("region0", 0, NamespaceMode.RAW,
                null, "n".repeat(64), null)));
        refusedUnchanged(Errno.EINVAL, "name of 64 bytes", () -> namespaces.create(spec("region0", 0, NamespaceMode.RAW,
                null, "é".repeat(32), null)));
        refusedUnchanged(Errno.EEXIST, "uuid " + taken + " is in use by namespace0.0",
                () -> namespaces.create(spec("region0", 0, NamespaceMode.RAW, taken, null, null)));
        refusedUnchanged(Errno.EBUSY, "namespace1.0 is enabled", () -> namespaces.create(spec("region1", 0)));
        namespaces.disable("namespace1.0");
        refusedUnchanged(Errno.EINVAL, "label-less regions cannot be divided",
                () -> namespaces.create(spec("region1", 16 * MIB)));
        refusedUnchanged(Errno.EINVAL, "name: a label-less namespace has no labels",
                () -> namespaces.create(spec("region1", 0, NamespaceMode.RAW, null, "x", null)));
        refusedUnchanged(Errno.EINVAL, "sector size 4096 is not supported by a label-less namespace",
                () -> namespaces.create(spec("region1", 0, NamespaceMode.RAW, null, null, 4096)));
        namespaces.addModeProvider(new FakeSectorMode());
        refusedUnchanged(Errno.EINVAL, "too small for sector mode",
                () -> namespaces.create(spec("region0", 8 * MIB, NamespaceMode.SECTOR, null, null, null)));
        refusedUnchanged(Errno.EINVAL, "sector size 1000 is not supported in sector mode",
                () -> namespaces.create(spec("region0", 16 * MIB, NamespaceMode.SECTOR, null, null, 1000)));
        labels.labeled("region0").slots = 3; // two namespaces and the one Linux keeps free
        refusedUnchanged(Errno.ENOSPC, "no free label slot", () -> namespaces.create(spec("region0", 8 * MIB)));
        assertClean();
    }

    @Test
    void reconfigure() {
        refusedUnchanged(Errno.ENODEV, "namespace9.9", () -> namespaces.reconfigure("namespace9.9", spec(null, 0), true));
        refusedUnchanged(Errno.EINVAL, "idle seed", () -> namespaces.reconfigure("namespace0.2", spec(null, 0), true));
        refusedUnchanged(Errno.EBUSY, "namespace0.0: is active, specify --force",
                () -> namespaces.reconfigure("namespace0.0", spec(null, 0), false));
        refusedUnchanged(Errno.EINVAL, "not a multiple", () -> namespaces.reconfigure("namespace0.0",
                spec(null, 16 * MIB + 4096), true));
        refusedUnchanged(Errno.ENOSPC, "requested in place", () -> namespaces.reconfigure("namespace0.0",
                spec(null, 32 * MIB), true));
        refusedUnchanged(Errno.EEXIST, "in use by namespace0.0", () -> namespaces.reconfigure("namespace0.1",
                spec(null, 0, NamespaceMode.RAW, taken, null, null), true));
        refusedUnchanged(Errno.EINVAL, "name of 70 bytes", () -> namespaces.reconfigure("namespace0.1",
                spec(null, 0, NamespaceMode.RAW, null, "n".repeat(70), null), true));
        refusedUnchanged(Errno.EINVAL, "the namespace is in region0", () -> namespaces.reconfigure("namespace0.1",
                spec("region1", 0), true));
        refusedUnchanged(Errno.EOPNOTSUPP, "raw and sector", () -> namespaces.reconfigure("namespace0.1",
                spec(null, 0, NamespaceMode.DEVDAX, null, null, null), true));
        refusedUnchanged(Errno.EOPNOTSUPP, "nvdimm.btt", () -> namespaces.reconfigure("namespace0.1",
                spec(null, 0, NamespaceMode.SECTOR, null, null, null), true));
        refusedUnchanged(Errno.EINVAL, "label-less regions cannot be divided",
                () -> namespaces.reconfigure("namespace1.0", spec(null, 16 * MIB), true));
        try (Claim c = namespaces.find("namespace0.0").orElseThrow().claim("btt0.0")) {
            refusedUnchanged(Errno.EBUSY, "claimed by btt0.0", () -> namespaces.reconfigure("namespace0.0",
                    spec(null, 0), false));
        }
        assertClean();
    }

    @Test
    void destroy() {
        refusedUnchanged(Errno.ENODEV, "namespace0.9", () -> namespaces.destroy("namespace0.9", true));
        refusedUnchanged(Errno.EBUSY, "namespace0.0: is active, specify --force for deletion",
                () -> namespaces.destroy("namespace0.0", false));
        refusedUnchanged(Errno.EBUSY, "namespace1.0: is active", () -> namespaces.destroy("namespace1.0", false));
        try (Claim c = namespaces.find("namespace0.0").orElseThrow().claim("btt0.0")) {
            refusedUnchanged(Errno.EBUSY, "claimed by btt0.0", () -> namespaces.destroy("namespace0.0", false));
        }
        assertClean();
    }

    @Test
    void enableAndDisable() {
        refusedUnchanged(Errno.ENODEV, "namespace5.0", () -> namespaces.enable("namespace5.0"));
        refusedUnchanged(Errno.ENXIO, "idle seed", () -> namespaces.enable("namespace0.2"));
        refusedUnchanged(Errno.ENODEV, "namespace5.0", () -> namespaces.disable("namespace5.0"));
        refusedUnchanged(Errno.ENODEV, "pmem0", () -> namespaces.disable("pmem0"));
        assertClean();
    }
}
