package nvdimm.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class RuntimeLogTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final RuntimeLog log = new RuntimeLog(Path.of("etc"), new PrintStream(err, true));

    @Test
    void aLoggerConsumerIsGivenTheLoggerWhenItsLevelIsEnabled() throws Exception {
        java.util.logging.Logger.getLogger("runtime.log.test").setLevel(Level.INFO);
        Logger logger = log.getLogger("runtime.log.test");
        List<Logger> given = new ArrayList<>();
        logger.info(l -> given.add(l));
        logger.debug(l -> given.add(l));
        assertEquals(1, given.size(), "info is enabled, debug is not");
        assertSame(logger, given.get(0));
    }

    @Test
    void anErrorIsOneLineOnStderrWithTheMessageAloneAndToldOnce() {
        Logger logger = log.getLogger("runtime.log.test");
        logger.error("activation of {} failed", "comp", new IllegalStateException("java.lang.IllegalStateException: broken"));
        logger.error("activation of {} failed", "comp", new IllegalStateException("java.lang.IllegalStateException: broken"));
        String text = err.toString();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("nvdimm: "), text);
    }
}
