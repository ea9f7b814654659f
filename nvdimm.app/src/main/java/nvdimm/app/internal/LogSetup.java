package nvdimm.app.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Sends java.util.logging (the framework, FileInstall, JLine, our bundles) to {@code log/nvdimm.log}. */
final class LogSetup {

    /** The log restarts empty once it passes this size. */
    private static final int LIMIT_BYTES = 8 << 20;

    private LogSetup() {
    }

    static Handler toFile(Path logDir) throws IOException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        }
        LogManager.getLogManager().reset();
        FileHandler handler = new FileHandler(logDir.resolve("nvdimm.log").toString(), LIMIT_BYTES, 1, true);
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        return handler;
    }
}
