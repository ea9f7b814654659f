package nvdimm.shell.internal.ndctl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;

/** The ndctl scope over a {@link TestBus}, with what a command prints on stderr captured. */
abstract class NdctlTestBase {

    final TestBus bus = new TestBus("test.0");
    final NdctlCommands ndctl = new NdctlCommands(bus.core, bus.regions);
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream savedErr = System.err;

    @AfterEach
    void closeBus() {
        System.setErr(savedErr);
        bus.close();
    }

    Object run(String... argv) throws Exception {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return ndctl._main(null, argv);
        } finally {
            System.setErr(savedErr);
        }
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
