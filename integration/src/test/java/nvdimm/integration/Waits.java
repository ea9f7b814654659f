package nvdimm.integration;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for what FileInstall, SCR and the core do on their own threads. */
final class Waits {

    static final long PATIENCE_SECONDS = 20;

    private Waits() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + PATIENCE_SECONDS + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
