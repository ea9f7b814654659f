package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import nvdimm.app.internal.LaunchOptions.Mode;
import nvdimm.app.internal.LaunchOptions.UsageException;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void noArgumentsIsInteractiveOnTheDefaultDataDir() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[0], NO_ENV);
        assertEquals(Mode.INTERACTIVE, o.mode());
        assertEquals(Path.of("nvdimm-data").toAbsolutePath().normalize(), o.dataDir());
        assertNull(o.commands());
        assertNull(o.script());
    }

    @Test
    void environmentNamesTheDataDirAndTheOptionWins() throws Exception {
        Map<String, String> env = Map.of(LaunchOptions.DATA_ENV, "/srv/pmem");
        assertEquals(Path.of("/srv/pmem"), LaunchOptions.parse(new String[0], env).dataDir());
        assertEquals(Path.of("/tmp/x"), LaunchOptions.parse(new String[] {"--data", "/tmp/x"}, env).dataDir());
        assertEquals(Path.of("/tmp/y"), LaunchOptions.parse(new String[] {"--data=/tmp/y"}, env).dataDir());
        assertEquals(Path.of("nvdimm-data").toAbsolutePath().normalize(),
                LaunchOptions.parse(new String[0], Map.of(LaunchOptions.DATA_ENV, " ")).dataDir());
    }

    @Test
    void commandsAndScripts() throws Exception {
        LaunchOptions c = LaunchOptions.parse(new String[] {"-c", "lb; ndctl:list"}, NO_ENV);
        assertEquals(Mode.COMMANDS, c.mode());
        assertEquals("lb; ndctl:list", c.commands());
        assertEquals("lb", LaunchOptions.parse(new String[] {"--command=lb"}, NO_ENV).commands());
        LaunchOptions f = LaunchOptions.parse(new String[] {"--data", "d", "-f", "setup.gosh"}, NO_ENV);
        assertEquals(Mode.SCRIPT, f.mode());
        assertEquals("setup.gosh", f.script());
        assertEquals(Mode.HELP, LaunchOptions.parse(new String[] {"-c", "lb", "--help"}, NO_ENV).mode());
    }

    @Test
    void badCommandLinesNameTheProblem() {
        assertMessage("unknown option '--bogus'", "--bogus");
        assertMessage("option '-c' needs a value", "-c");
        assertMessage("option '--data' needs a value", "--data=");
        assertMessage("option '-f' needs a value", "-f", "");
        assertMessage("give either one -c or one -f, not several", "-c", "lb", "-f", "x");
        assertMessage("give either one -c or one -f, not several", "-c", "lb", "-c", "lb");
        assertMessage("unexpected argument 'lb' (commands go after -c)", "lb");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> LaunchOptions.parse(args, NO_ENV));
        assertEquals(expected, e.getMessage());
        assertTrue(LaunchOptions.USAGE.startsWith("usage: nvdimm"));
    }
}
