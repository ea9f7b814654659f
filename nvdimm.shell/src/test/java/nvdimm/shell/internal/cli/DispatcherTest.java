package nvdimm.shell.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.jline.builtins.Options;
import org.junit.jupiter.api.Test;

/**
 * What the dispatcher refuses for every command before the command runs: an empty operand, an option
 * given an empty value, and an option that takes a value given twice; each a usage error naming it.
 */
class DispatcherTest {

    private final List<String> ran = new ArrayList<>();
    private final Dispatcher dispatcher = new Dispatcher("t", List.of(new Subcommand() {
        @Override
        public Usage usage() {
            return new Usage("cmd", "a command", "[<name>..] [<options>]",
                    "  -b --bus=BUS        a bus",
                    "  -l --label-size=SIZE  a size (default=auto)",
                    "  -v --verbose        more");
        }

        @Override
        public Object run(Options options, PrintStream err) {
            ran.add(options.args() + " bus=" + (options.isSet("bus") ? options.get("bus") : null));
            return null;
        }
    }));

    private UsageError refused(String... argv) {
        UsageError e = assertThrows(UsageError.class, () -> dispatcher.dispatch(argv));
        assertEquals(List.of(), ran, "the command did not run");
        return e;
    }

    @Test
    void anEmptyOperandNamesNothing() {
        assertEquals("t cmd: an empty argument ('') names nothing", refused("cmd", "region0", "").getMessage());
    }

    @Test
    void anEmptyOptionValueIsRefused() {
        assertEquals("t cmd: --bus is empty ('')", refused("cmd", "-b", "").getMessage());
        assertEquals("t cmd: --bus is empty ('')", refused("cmd", "--bus=").getMessage());
    }

    @Test
    void aValueGivenTwiceIsRefusedWithBoth() {
        assertEquals("t cmd: --bus given twice ('ndbus0', 'ndbus1'); give it once",
                refused("cmd", "-b", "ndbus0", "--bus=ndbus1").getMessage());
    }

    @Test
    void flagsMayRepeatAndDefaultsAreNoValueGiven() throws Exception {
        dispatcher.dispatch(new String[] {"cmd", "-v", "-v", "x", "-b", "ndbus0"});
        assertEquals(List.of("[x] bus=ndbus0"), ran);
    }
}
