package nvdimm.shell.internal.blockdev;

import java.util.Locale;

/** What dd's progress bar shows after its percentage: {@code 115.2 MiB of 256.0 MiB  530 MB/s}. */
public final class DdProgress {
    private DdProgress() {
    }

    public static String tail(long done, long total, long elapsedNs) {
        double mbs = elapsedNs <= 0 ? 0 : done / 1e6 / (elapsedNs / 1e9);
        return String.format(Locale.ROOT, "%s of %s  %.0f MB/s", mib(done), mib(total), mbs);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
