package nvdimm.app.internal.kill;

import java.io.IOException;

/** Polls a condition of the parent's files or children until it holds (two minutes at most). */
final class Poll {

    interface Condition {
        boolean holds() throws IOException;
    }

    private Poll() {
    }

    static void until(String what, Condition condition) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after 120 s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
