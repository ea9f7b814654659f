package nvdimm.bench;

/**
 * JMH's command line ({@code org.openjdk.jmh.Main}, same arguments) that waits for another JMH run to end instead
 * of failing when {@code jmh.lock} is held: for scripted runs on a shared machine.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar nvdimm.bench.LockedJmh BttPartsBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
public final class LockedJmh {
    private LockedJmh() {
    }

    public static void main(String[] args) throws Exception {
        try (JmhLock lock = JmhLock.acquire()) {
            System.setProperty("jmh.ignoreLock", "true");
            org.openjdk.jmh.Main.main(args);
        }
    }
}
