package nvdimm.shell.internal.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.region.Badblocks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input for every namespace command, table-driven: each row fails (a thrown failure is a non-zero
 * exit in one-shot mode) with a message naming the object and the problem, and nothing changes: the
 * namespaces are as before, no poison was injected, and the service saw no mutating call at all
 * unless the row is one only the service can judge (fsdax and devdax), which it refused.
 */
class NamespaceBadInputTest extends NamespaceTestBase {

    private static final String LONG_NAME = "n".repeat(64);

    /** Row: the command line, the message (a part of it), the errno (null: a usage error), and whether the service judges it. */
    static Stream<Arguments> rows() {
        return Stream.of(
                row("create-namespace -m bogus", "invalid mode 'bogus'", null, false),
                row("create-namespace -s 12x", "failed to parse namespace size '12x'", null, false),
                row("create-namespace -s -16m", "failed to parse namespace size '-16m'", null, false),
                row("create-namespace -s 99999999999999999999", "failed to parse namespace size", null, false),
                row("create-namespace -s 1t", "region0: the largest free extent is 50331648 bytes, not 1099511627776", Errno.ENOSPC, false),
                row("create-namespace -s 20000", "region0: align setting is 0x1000 size 0x4e20 is misaligned", Errno.EINVAL, false),
                row("create-namespace -u notauuid", "failed to parse uuid: 'notauuid'", null, false),
                row("create-namespace -u 1-2-3-4-5", "failed to parse uuid: '1-2-3-4-5'", null, false),
                row("create-namespace -n " + LONG_NAME, "alt name overflow", null, false),
                row("create-namespace -l 12x", "invalid sector size: 12x", null, false),
                row("create-namespace -m sector -s 8m", "'--size=' must be >= 16MiB for 'sector' mode", Errno.EINVAL, false),
                row("create-namespace -r region9", "region9: no such region", null, false),
                row("create-namespace -b ndbus9", "ndbus9: no such bus", null, false),
                row("create-namespace -r all -s 128m", "failed to create namespace: region0: the largest free extent",
                        Errno.ENOSPC, false),
                row("create-namespace -r region1", "region1: label-less, its namespace namespace1.0 spans the region", Errno.ENOSPC, false),
                row("create-namespace extra", "unknown extra parameter \"extra\"", null, false),
                row("create-namespace -m fsdax", "supported modes are raw and sector", Errno.EOPNOTSUPP, true),
                row("create-namespace -m devdax -s 16m", "supported modes are raw and sector", Errno.EOPNOTSUPP, true),
                row("create-namespace -e namespace0.9", "namespace0.9: no such namespace", Errno.ENXIO, false),
                row("create-namespace -e namespace0.0 -m sector", "namespace0.0 is active, specify --force", Errno.EBUSY, false),
                row("create-namespace -f -e namespace0.0 -s 20000", "align setting is 0x1000 size 0x4e20 is misaligned", Errno.EINVAL, false),
                row("destroy-namespace namespace0.0", "namespace0.0 is active, specify --force", Errno.EBUSY, false),
                row("destroy-namespace all", "is active, specify --force", Errno.EBUSY, false),
                row("destroy-namespace namespace9.9", "namespace9.9: no such namespace", Errno.ENXIO, false),
                row("destroy-namespace", "specify a namespace to destroy, or \"all\"", null, false),
                row("destroy-namespace namespace0.0 namespace1.0", "unknown extra parameter \"namespace1.0\"", null, false),
                row("destroy-namespace all -b ndbus9", "ndbus9: no such bus", null, false),
                row("enable-namespace namespace0.9", "namespace0.9: no such namespace", Errno.ENXIO, false),
                row("disable-namespace all -r region9", "region9: no such region", null, false),
                row("disable-namespace namespace0.0 -r region1", "namespace0.0: no such namespace in the regions selected",
                        Errno.ENXIO, false),
                row("inject-error namespace0.9 -B 1", "namespace0.9: no such namespace", Errno.ENXIO, false),
                row("inject-error namespace0.1 -B 0", "namespace0.1: the namespace is disabled", Errno.ENXIO, false),
                row("inject-error namespace0.0 -B 32768", "namespace0.0: blocks 32768..32768 are beyond its 32768 blocks",
                        null, false),
                row("inject-error namespace0.0 -B x", "block 'x' is not a number", null, false),
                row("clear-errors namespace0.9", "namespace0.9: no such namespace", Errno.ENXIO, false));
    }

    private static Arguments row(String line, String message, Errno errno, boolean serviceJudges) {
        return Arguments.of(line, message, errno, serviceJudges);
    }

    @BeforeEach
    void aNamespaceToRefuseThingsAbout() throws Exception {
        run("create-namespace", "-s", "16m", "-n", "kept");
        namespaces.calls.clear();
        namespaces.mutations.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedClearlyAndNothingChanges(String line, String message, Errno errno, boolean serviceJudges) {
        List<NamespaceInfo> before = namespaces.snapshot();
        RuntimeException e = assertThrows(RuntimeException.class, () -> run(line.split(" ")));
        assertTrue(e.getMessage().contains(message), "'" + line + "' said: " + e.getMessage());
        if (errno != null) {
            assertEquals(errno, ((NvdimmException) e).errno(), e.getMessage());
        }
        assertEquals(before, namespaces.snapshot(), "the namespaces changed");
        assertEquals(List.of(), namespaces.mutations);
        if (!serviceJudges) {
            assertEquals(List.of(), namespaces.calls, "refused before the service was asked");
        }
        List<Badblocks.Range> poison = bus.regions.find("region0").orElseThrow().injectedErrors();
        assertEquals(List.of(), poison, "no poison");
    }

    @Test
    void everyRowWasRefusedByTheRightLayer() {
        assertEquals(2, rows().filter(a -> (boolean) a.get()[3]).count(), "only fsdax and devdax reach the service");
    }
}
