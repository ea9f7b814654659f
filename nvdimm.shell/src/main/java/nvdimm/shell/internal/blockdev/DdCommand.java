package nvdimm.shell.internal.blockdev;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.BlockDevice;
import nvdimm.shell.internal.cli.Sizes;
import nvdimm.shell.internal.cli.ProgressBar;
import nvdimm.shell.internal.cli.Subcommand;
import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.cli.UsageError;
import org.jline.builtins.Options;

/**
 * {@code nvdimm:dd if=… of=… [bs=…] [count=…] [skip=…] [seek=…]}: copies between host files and block
 * devices ({@code pmem0}, {@code pmem0.1}, {@code pmem0s}), as dd does: {@code bs} bytes a block
 * (default 512; k, m, g, t suffixes), {@code count} blocks (default: to the end of the input),
 * {@code skip} blocks of the input and {@code seek} blocks of the output passed over; an output file
 * is created and cut at the seek offset, as dd does without {@code conv=notrunc}.
 *
 * <p>Everything is checked before a byte moves: an unknown device (a name of the {@code pmemN} form is
 * never taken for a file), an input file that does not exist, a skip past the input's end, a copy
 * that would go past a device's end, and blocks or offsets that are not whole sectors of a device.
 * One buffer of {@code bs} bytes serves the whole run, read into and written from straight by the
 * devices' segment I/O and through one byte-buffer view by files; the devices are flushed at the end.
 * A one-line summary goes to stderr as dd prints it ({@code 1048576 bytes (1.0 MB, 1.0 MiB) copied,
 * 0.0123 s, 85.2 MB/s}), after a failure too, which then fails the command with its errno.
 */
final class DdCommand implements Subcommand {

    /** Device names: never taken for a file name. */
    private static final Pattern DEVICE_NAME = Pattern.compile("pmem\\d+(\\.\\d+)?s?");
    private static final long MAX_BS = 1L << 30;
    private static final List<String> OPERANDS = List.of("if", "of", "bs", "count", "skip", "seek");

    private final Function<String, Optional<BlockDevice>> devices;
    private final Supplier<Path> cwd;
    /** The progress bar for a copy, or {@link ProgressBar#NONE}. */
    private final Supplier<ProgressBar> progress;
    private final LongSupplier clock;

    DdCommand(Function<String, Optional<BlockDevice>> devices, Supplier<Path> cwd, Supplier<ProgressBar> progress,
            LongSupplier clock) {
        this.devices = devices;
        this.cwd = cwd;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public Usage usage() {
        return new Usage("dd", "copy between host files and block devices (pmemN, pmemN.M, pmemNs), as dd does",
                "if=FILE|DEVICE of=FILE|DEVICE [bs=BYTES] [count=BLOCKS] [skip=BLOCKS] [seek=BLOCKS]");
    }

    @Override
    public Object run(Options opt, PrintStream err) throws IOException {
        Map<String, String> operands = operands(opt.args());
        if (!operands.containsKey("if") || !operands.containsKey("of")) {
            throw new UsageError("give both if= and of=");
        }
        long bs = operands.containsKey("bs") ? size(operands.get("bs"), "bs") : 512;
        if (bs <= 0 || bs > MAX_BS) {
            throw new UsageError("bs=" + operands.get("bs") + ": a block must be 1 byte to 1G");
        }
        long skip = blocks(operands, "skip");
        long seek = blocks(operands, "seek");
        Optional<Long> count = operands.containsKey("count") ? Optional.of(blocks(operands, "count")) : Optional.empty();
        long from = bytes(skip, bs, "skip");
        long to = bytes(seek, bs, "seek");
        long wanted = count.isPresent() ? bytes(count.get(), bs, "count") : Long.MAX_VALUE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bs, 4096);
            ByteBuffer view = buffer.asByteBuffer();
            try (Endpoint in = open(operands.get("if"), false, buffer, view)) {
                Optional<BlockDevice> outDevice = device(operands.get("of"));
                long inSize = in.size();
                if (from > inSize) {
                    throw new NvdimmException(Errno.EINVAL, in.name() + ": skip=" + skip + " is past its end ("
                            + inSize + " bytes)");
                }
                long total = Math.min(inSize - from, wanted);
                checkSectors(in, bs, from, total);
                if (outDevice.isPresent()) {
                    BlockDevice d = outDevice.get();
                    checkSectors(d.name(), d.sectorSize(), bs, to, total);
                    if (to > d.size() || total > d.size() - to) {
                        throw new NvdimmException(Errno.ENOSPC, d.name() + ": " + total + " bytes at offset " + to
                                + " go past its end (" + d.size() + " bytes)");
                    }
                }
                // checked: only now is the output opened (a file created, cut at the seek offset)
                try (Endpoint out = open(operands.get("of"), true, buffer, view)) {
                    if (out instanceof Endpoint.File file) {
                        file.channel().truncate(to);
                    }
                    return copy(in, out, bs, from, to, total, err);
                }
            }
        }
    }

    private static long bytes(long blocks, long bs, String key) {
        try {
            return Math.multiplyExact(blocks, bs);
        } catch (ArithmeticException e) {
            throw new UsageError(key + "=" + blocks + " blocks of " + bs + " bytes is too large");
        }
    }

    /** Copies block by block, then prints the summary; a failure still prints what was copied. */
    private Object copy(Endpoint in, Endpoint out, long bs, long from, long to, long total, PrintStream err)
            throws IOException {
        ProgressBar bar = progress.get();
        long started = clock.getAsLong();
        long done = 0;
        try {
            while (done < total) {
                long n = Math.min(bs, total - done);
                long got = in.read(from + done, n);
                if (got <= 0) {
                    break; // a file that shrank under us: dd stops at the end of its input
                }
                out.write(to + done, got);
                done += got;
                bar.update(done, total);
            }
            out.flush();
        } finally {
            bar.finish();
            err.println(summary(done, clock.getAsLong() - started));
        }
        return null;
    }

    /** dd's last line: {@code N bytes (X MB, Y MiB) copied, S s, R MB/s}. */
    static String summary(long bytes, long elapsedNs) {
        double seconds = Math.max(elapsedNs, 1) / 1e9;
        String human = bytes < 1000 ? "" : " (" + human(bytes, 1000, "B") + ", " + human(bytes, 1024, "iB") + ")";
        return bytes + " bytes" + human + " copied, " + significant(seconds) + " s, "
                + human((long) (bytes / seconds), 1000, "B") + "/s";
    }

    /** GNU dd's human sizes: one decimal below 10, whole numbers above ({@code 1.0 MB}, {@code 268 MB}). */
    static String human(long bytes, int base, String suffix) {
        String[] prefixes = {"", "k", "M", "G", "T", "P", "E"};
        double value = bytes;
        int p = 0;
        while (value >= base && p < prefixes.length - 1) {
            value /= base;
            p++;
        }
        String prefix = base == 1024 && p == 1 ? "K" : prefixes[p];
        if (p == 0) {
            return bytes + " B";
        }
        return (value < 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.0f", value))
                + " " + prefix + suffix;
    }

    private static String significant(double seconds) {
        return new BigDecimal(seconds).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void checkSectors(Endpoint e, long bs, long offset, long total) {
        checkSectors(e.name(), e.unit(), bs, offset, total);
    }

    private static void checkSectors(String name, int unit, long bs, long offset, long total) {
        if (unit > 1 && (bs % unit != 0 || offset % unit != 0 || total % unit != 0)) {
            throw new NvdimmException(Errno.EINVAL, name + ": its sectors are " + unit + " bytes; bs=" + bs
                    + ", the offset " + offset + " and the " + total + " bytes to copy must be whole sectors");
        }
    }

    /** The block device {@code name} names; empty for a file name; a missing device is an error. */
    private Optional<BlockDevice> device(String name) {
        Optional<BlockDevice> device = devices.apply(name);
        if (device.isPresent()) {
            if (!device.get().isActive()) {
                throw new NvdimmException(Errno.ENXIO, name + ": the block device went away");
            }
            return device;
        }
        if (DEVICE_NAME.matcher(name).matches()) {
            throw new NvdimmException(Errno.ENODEV, name + ": no such block device");
        }
        return Optional.empty();
    }

    private Endpoint open(String name, boolean output, MemorySegment buffer, ByteBuffer view) throws IOException {
        Optional<BlockDevice> device = device(name);
        if (device.isPresent()) {
            return new Endpoint.Device(device.get(), buffer);
        }
        Path path = cwd.get().resolve(name).toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            throw new NvdimmException(Errno.EISDIR, path + ": is a directory");
        }
        if (!output && Files.exists(path) && !Files.isRegularFile(path)) {
            // a character device or a pipe has no size to check the copy against: it would copy 0 bytes and succeed
            throw new NvdimmException(Errno.EINVAL, path + ": not a regular file; dd reads regular files and block"
                    + " devices (pmemN, pmemN.M, pmemNs)");
        }
        try {
            FileChannel channel = output
                    ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
            return new Endpoint.File(path, channel, view);
        } catch (NoSuchFileException e) {
            throw new NvdimmException(Errno.ENOENT, path + ": no such file or block device");
        }
    }

    private static Map<String, String> operands(List<String> args) {
        Map<String, String> operands = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !OPERANDS.contains(key)) {
                throw new UsageError("unknown operand '" + arg + "'; the operands are " + String.join("=, ", OPERANDS) + "=");
            }
            if (operands.put(key, arg.substring(eq + 1)) != null) {
                throw new UsageError(key + "= given twice");
            }
            if (arg.substring(eq + 1).isEmpty()) {
                throw new UsageError(key + "= needs a value");
            }
        }
        return operands;
    }

    private static long blocks(Map<String, String> operands, String key) {
        return operands.containsKey(key) ? size(operands.get(key), key) : 0;
    }

    private static long size(String text, String key) {
        try {
            return Sizes.parse(text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().endsWith("is too large")) {
                throw new UsageError(key + "=" + text + ": too large");
            }
            throw new UsageError(key + "=" + text + ": not a number of bytes or blocks (k, m, g, t suffixes)");
        }
    }
}
