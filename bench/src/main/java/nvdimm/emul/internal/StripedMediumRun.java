package nvdimm.emul.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;

/**
 * {@link StripedMediumBenchmark}'s 4 KiB write + read, its forms interleaved in one JVM (a harness
 * rather than JMH, whose forms run one after another: on a shared machine whose load swings within
 * seconds, ratios between forms measured a minute apart drift by more than what separates them).
 * Each round runs every form for the same number of operations, in a rotating order, and takes each
 * form's time relative to the raw segment's in that round; the report gives the median ratio over the
 * rounds and its spread (10th to 90th percentile).
 *
 * <p>Besides the raw segment, the memory medium and the views through their windows, it runs the views
 * over media that lend no window ({@code counted}: a forwarding medium in front of each memory medium),
 * so the accesses are counted by {@link InFlight} as every access was before the windows.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar nvdimm.emul.internal.StripedMediumRun [rounds] [ops-per-form] [all|windows|counted]
 * </pre>
 */
public final class StripedMediumRun {
    static final int BLOCK = 4096;
    static final long SIZE = 1 << 20;
    static final int BLOCKS_MASK = (int) (SIZE / BLOCK) - 1;

    private StripedMediumRun() {
    }

    /** One form: runs {@code ops} write + read pairs and returns a byte read, so nothing is elided. */
    interface Form {
        byte run(int ops);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Lockdep lockdep = Locks.register(new Lockdep(LockdepMode.WARN, r -> { }));
        List<AutoCloseable> open = new ArrayList<>();
        Arena arena = Arena.ofShared();
        MemorySegment raw = arena.allocate(SIZE, 4096);
        byte[] buffer = new byte[BLOCK];
        Medium memory = keep(open, Media.memory("run.memory", SIZE));
        Medium slice = keep(open, StripedMedium.slice("run.slice", keep(open, Media.memory("run.m1", SIZE)), 0, SIZE,
                lockdep));
        Medium stripe = keep(open, stripe("run.stripe", keep(open, Media.memory("run.d0", SIZE)),
                keep(open, Media.memory("run.d1", SIZE)), lockdep));
        Medium sliceCounted = keep(open, StripedMedium.slice("run.sliceCounted",
                new Forwarding(keep(open, Media.memory("run.m2", SIZE))), 0, SIZE, lockdep));
        Medium stripeCounted = keep(open, stripe("run.stripeCounted",
                new Forwarding(keep(open, Media.memory("run.d2", SIZE))),
                new Forwarding(keep(open, Media.memory("run.d3", SIZE))), lockdep));
        if (((StripedMedium) slice).countsAccesses() || !((StripedMedium) sliceCounted).countsAccesses()) {
            throw new IllegalStateException("the views did not take the paths they are named for");
        }
        String[] allNames = {"rawSegment", "memoryMedium", "slice1Way", "stripe2Way", "slice1WayCounted",
                "stripe2WayCounted"};
        Form[] allForms = {
            n -> {
                int block = 0;
                for (int i = 0; i < n; i++) {
                    block = (block + 1) & BLOCKS_MASK;
                    long at = (long) block * BLOCK;
                    MemorySegment.copy(buffer, 0, raw, ValueLayout.JAVA_BYTE, at, BLOCK);
                    MemorySegment.copy(raw, ValueLayout.JAVA_BYTE, at, buffer, 0, BLOCK);
                }
                return buffer[7];
            },
            n -> loopMemory(memory, buffer, n),
            n -> loopSlice(slice, buffer, n),
            n -> loopStripe(stripe, buffer, n),
            n -> loopSliceCounted(sliceCounted, buffer, n),
            n -> loopStripeCounted(stripeCounted, buffer, n),
        };
        // "windows" or "counted" runs the raw segment, the memory medium and only those views, so that
        // the views' call sites into their parts see one class, as in a JMH fork; "all" runs every form
        String only = args.length > 2 ? args[2] : "all";
        List<Integer> chosen = new ArrayList<>();
        for (int f = 0; f < allForms.length; f++) {
            boolean counted = allNames[f].endsWith("Counted");
            boolean view = f >= 2;
            if (only.equals("all") || !view || (only.equals("counted") == counted)) {
                chosen.add(f);
            }
        }
        String[] names = chosen.stream().map(f -> allNames[f]).toArray(String[]::new);
        Form[] forms = chosen.stream().map(f -> allForms[f]).toArray(Form[]::new);
        long sink = 0;
        for (int w = 0; w < 30; w++) { // warm-up: every form compiled before the first round
            for (Form f : forms) {
                sink += f.run(ops / 4);
            }
        }
        double[][] nanos = new double[forms.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < forms.length; k++) {
                int f = (k + r) % forms.length; // rotate the order
                long t0 = System.nanoTime();
                sink += forms[f].run(ops);
                nanos[f][r] = (double) (System.nanoTime() - t0) / ops;
            }
        }
        System.out.printf(Locale.ROOT, "JDK %s, %d processors, load %s, %d rounds of %d write + read pairs per form (%s)%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), load(), rounds, ops, only);
        System.out.printf(Locale.ROOT, "%-18s %9s %9s   %s%n", "form", "median ns", "best ns",
                "speed vs rawSegment: median of the rounds [p10 - p90] (min - max)");
        for (int f = 0; f < forms.length; f++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = nanos[0][r] / nanos[f][r];
            }
            double[] sorted = nanos[f].clone();
            Arrays.sort(sorted);
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "%-18s %9.1f %9.1f   %.2fx [%.2f - %.2f] (%.2f - %.2f)%n", names[f],
                    sorted[rounds / 2], sorted[0], ratio[rounds / 2], ratio[rounds / 10], ratio[rounds * 9 / 10],
                    ratio[0], ratio[rounds - 1]);
        }
        System.out.println("(sink " + sink + ")");
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        arena.close();
    }

    // One loop per form, so that each call site sees one medium class, as in a JMH fork.
    private static byte loopMemory(Medium m, byte[] buffer, int n) {
        int block = 0;
        for (int i = 0; i < n; i++) {
            block = (block + 1) & BLOCKS_MASK;
            m.write((long) block * BLOCK, buffer, 0, BLOCK);
            m.read((long) block * BLOCK, buffer, 0, BLOCK);
        }
        return buffer[7];
    }

    private static byte loopSlice(Medium m, byte[] buffer, int n) {
        int block = 0;
        for (int i = 0; i < n; i++) {
            block = (block + 1) & BLOCKS_MASK;
            m.write((long) block * BLOCK, buffer, 0, BLOCK);
            m.read((long) block * BLOCK, buffer, 0, BLOCK);
        }
        return buffer[7];
    }

    private static byte loopStripe(Medium m, byte[] buffer, int n) {
        int block = 0;
        for (int i = 0; i < n; i++) {
            block = (block + 1) & BLOCKS_MASK;
            m.write((long) block * BLOCK, buffer, 0, BLOCK);
            m.read((long) block * BLOCK, buffer, 0, BLOCK);
        }
        return buffer[7];
    }

    private static byte loopSliceCounted(Medium m, byte[] buffer, int n) {
        int block = 0;
        for (int i = 0; i < n; i++) {
            block = (block + 1) & BLOCKS_MASK;
            m.write((long) block * BLOCK, buffer, 0, BLOCK);
            m.read((long) block * BLOCK, buffer, 0, BLOCK);
        }
        return buffer[7];
    }

    private static byte loopStripeCounted(Medium m, byte[] buffer, int n) {
        int block = 0;
        for (int i = 0; i < n; i++) {
            block = (block + 1) & BLOCKS_MASK;
            m.write((long) block * BLOCK, buffer, 0, BLOCK);
            m.read((long) block * BLOCK, buffer, 0, BLOCK);
        }
        return buffer[7];
    }

    private static StripedMedium stripe(String name, Medium d0, Medium d1, Lockdep lockdep) {
        return new StripedMedium(name, List.of(new StripedMedium.Part(d0, 0), new StripedMedium.Part(d1, 0)), BLOCK,
                2 * SIZE, lockdep);
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> open, T c) {
        open.add(c);
        return c;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A medium that forwards every call and lends no window: a view over it counts its accesses. */
    private record Forwarding(Medium inner) implements Medium {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public Persistence persistence() {
            return inner.persistence();
        }

        @Override
        public void read(long offset, byte[] dst, int off, int len) {
            inner.read(offset, dst, off, len);
        }

        @Override
        public void write(long offset, byte[] src, int off, int len) {
            inner.write(offset, src, off, len);
        }

        @Override
        public void read(long offset, MemorySegment dst) {
            inner.read(offset, dst);
        }

        @Override
        public void write(long offset, MemorySegment src) {
            inner.write(offset, src);
        }

        @Override
        public void read(long offset, MemorySegment dst, long dstOffset, long len) {
            inner.read(offset, dst, dstOffset, len);
        }

        @Override
        public void write(long offset, MemorySegment src, long srcOffset, long len) {
            inner.write(offset, src, srcOffset, len);
        }

        @Override
        public int readInt(long offset) {
            return inner.readInt(offset);
        }

        @Override
        public long readLong(long offset) {
            return inner.readLong(offset);
        }

        @Override
        public void writeInt(long offset, int value) {
            inner.writeInt(offset, value);
        }

        @Override
        public void writeLong(long offset, long value) {
            inner.writeLong(offset, value);
        }

        @Override
        public void persist(long offset, long length) {
            inner.persist(offset, length);
        }

        @Override
        public void drain() {
            inner.drain();
        }

        @Override
        public void sync() {
            inner.sync();
        }

        @Override
        public void close() {
            // the memory medium behind it is closed by the run
        }
    }
}
