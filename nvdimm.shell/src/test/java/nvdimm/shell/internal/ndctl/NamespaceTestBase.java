package nvdimm.shell.internal.ndctl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;

/**
 * The ndctl scope with the namespace commands over a {@link TestBus} and a {@link FakeNamespaces}
 * bound to its regions; what a command prints on stderr is captured.
 */
abstract class NamespaceTestBase {

    /** 64 MiB regions: room for sector-mode namespaces (16 MiB at least) and human sizes. */
    static final long REGION_SIZE = 64L << 20;

    final TestBus bus = new TestBus("test.0", REGION_SIZE);
    final FakeNamespaces namespaces = new FakeNamespaces(bus.regions);
    final NdctlCommands ndctl = new NdctlCommands(bus.core, bus.regions, namespaces);
    final NamespaceCommands nsCommands = new NamespaceCommands(bus.core, bus.regions, namespaces);
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream savedErr = System.err;

    NamespaceTestBase() {
        bus.bindNamespaceProvider(namespaces);
    }

    @AfterEach
    void closeBus() {
        System.setErr(savedErr);
        bus.close();
    }

    /** Runs an ndctl command, whichever component serves it. */
    Object run(String... argv) throws Exception {
        err.reset();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            boolean namespaceCommand = nsCommands.commands().usageText(argv[0]).isPresent();
            return namespaceCommand ? nsCommands._main(null, argv) : ndctl._main(null, argv);
        } finally {
            System.setErr(savedErr);
        }
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
