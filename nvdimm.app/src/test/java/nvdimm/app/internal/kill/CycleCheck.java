package nvdimm.app.internal.kill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every child must not have said: the launcher's one-line errors on stderr. */
final class CycleCheck {

    private CycleCheck() {
    }

    /**
     * The lockdep reports in a data directory's log (every run appends to it). Counted and printed, not
     * failed on: the kill scenarios find the bus core's known "wait for a publication inside a publication"
     * report (BTT attach from the namespace's publication), which is for the bus core to fix.
     */
    static long lockdepReports(Path data) {
        try {
            return Files.readAllLines(data.resolve("log/nvdimm.log")).stream()
                    .filter(l -> l.startsWith("lockdep WARNING")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    static void noErrors(ChildRuntime child, String what) {
        for (String line : child.stderr().split("\n")) {
            if (line.startsWith("nvdimm: ") || line.contains("Exception")) {
                throw new AssertionError(what + ": the runtime reported an error:\n" + child.output());
            }
        }
    }
}
