package nvdimm.shell.internal.blockdev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code nvdimm:dd}: copies both ways, dd's operands and summary, and refusals that write nothing. */
class DdCommandTest {

    @TempDir
    Path dir;
    private final MemoryBlockDevice pmem0 = new MemoryBlockDevice("pmem0", 512, 2048); // 1 MiB
    private final MemoryBlockDevice pmem1s = new MemoryBlockDevice("pmem1s", 4096, 64); // 256 KiB
    private final DdCommands dd = new DdCommands(List.of(pmem0, pmem1s));
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream savedErr = System.err;

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private Object run(String... operands) throws Exception {
        err.reset();
        String[] argv = Stream.concat(Stream.of("dd"), Arrays.stream(operands)).toArray(String[]::new);
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return dd._main(null, argv);
        } finally {
            System.setErr(savedErr);
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 512);
        }
        return b;
    }

    @Test
    void aFileOntoADeviceAtASeekAndBackWithSkipAndCount() throws Exception {
        Path in = dir.resolve("in.img");
        byte[] data = pattern(64 << 10);
        Files.write(in, data);
        assertNull(run("if=" + in, "of=pmem0", "bs=4k", "seek=2"));
        assertTrue(err.toString().matches("65536 bytes \\(66 kB, 64 KiB\\) copied, [0-9.]+(E-?\\d+)? s, [0-9.]+ [kMGT]?B/s\\n"),
                err.toString());
        byte[] onDevice = pmem0.media().asSlice(8192, data.length).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(data, onDevice);
        assertEquals(16, pmem0.writes.get(), "one write a block");
        assertEquals(1, pmem0.segmentsSeen.size(), "one buffer for the whole run");
        assertEquals(1, pmem0.flushes.get());
        Path out = dir.resolve("out.img");
        run("if=pmem0", "of=" + out, "bs=1k", "skip=10", "count=3");
        assertArrayEquals(Arrays.copyOfRange(data, 2048, 2048 + 3072), Files.readAllBytes(out));
        assertTrue(err.toString().startsWith("3072 bytes (3.1 kB, 3.0 KiB) copied"), err.toString());
    }

    @Test
    void withoutCountTheWholeInputAndAnOutputFileIsCutAtTheSeek() throws Exception {
        pmem0.media().asSlice(0, 4096).fill((byte) 7);
        Path out = dir.resolve("whole.img");
        Files.write(out, new byte[2 << 20]);
        run("if=pmem0", "of=" + out, "bs=1M");
        assertEquals(1 << 20, Files.size(out), "cut as dd cuts without conv=notrunc");
        assertEquals(7, Files.readAllBytes(out)[4095]);
        assertTrue(err.toString().startsWith("1048576 bytes (1.0 MB, 1.0 MiB) copied"), err.toString());
    }

    @Test
    void deviceToDeviceInTheLargerSectors() throws Exception {
        pmem0.media().asSlice(0, 8192).fill((byte) 9);
        run("if=pmem0", "of=pmem1s", "bs=8k", "count=1", "seek=3");
        assertEquals(9, pmem1s.media().get(ValueLayout.JAVA_BYTE, 3 * 8192 + 100));
    }

    @Test
    void aReadErrorStopsTheCopyReportsWhatWasCopiedAndKeepsItsErrno() throws Exception {
        pmem0.bad.add(5L);
        Path out = dir.resolve("partial.img");
        NvdimmException e = assertThrows(NvdimmException.class, () -> run("if=pmem0", "of=" + out, "bs=1024"));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(err.toString().startsWith("2048 bytes (2.0 kB, 2.0 KiB) copied"), err.toString());
        assertEquals(2048, Files.size(out));
    }

    static Stream<Arguments> badOperands() {
        return Stream.of(
                Arguments.of("if=pmem9 of=OUT", "pmem9: no such block device"),
                Arguments.of("if=IN of=pmem9", "pmem9: no such block device"),
                Arguments.of("if=IN of=pmem0 bs=512 seek=2047", "pmem0: 4096 bytes at offset 1048064 go past its end (1048576 bytes)"),
                Arguments.of("if=IN of=pmem0 bs=100", "pmem0: its sectors are 512 bytes; bs=100"),
                Arguments.of("if=IN of=pmem1s bs=512", "pmem1s: its sectors are 4096 bytes; bs=512"),
                Arguments.of("if=pmem0 of=OUT skip=4096", "pmem0: skip=4096 is past its end (1048576 bytes)"),
                Arguments.of("if=MISSING of=pmem0", "no such file or block device"),
                Arguments.of("if=IN", "give both if= and of="),
                Arguments.of("if=IN of=pmem0 bs=0", "bs=0: a block must be 1 byte to 1G"),
                Arguments.of("if=IN of=pmem0 bs=2g", "bs=2g: a block must be 1 byte to 1G"),
                Arguments.of("if=IN of=pmem0 count=x", "count=x: not a number of bytes or blocks"),
                Arguments.of("if=IN of=pmem0 conv=notrunc", "unknown operand 'conv=notrunc'"),
                Arguments.of("if=IN of=pmem0 of=pmem1s", "of= given twice"),
                Arguments.of("if=IN of=pmem0 skip=", "skip= needs a value"),
                Arguments.of("if=IN of=pmem0 seek=9223372036854775807", "seek=9223372036854775807 blocks of 512 bytes is too large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOperands")
    void badOperandsAreRefusedAndNothingIsWritten(String line, String message) throws Exception {
        Path in = dir.resolve("in.img");
        Files.write(in, pattern(4096));
        Path out = dir.resolve("out.img");
        String[] operands = line.replace("IN", in.toString()).replace("OUT", out.toString())
                .replace("MISSING", dir.resolve("missing.img").toString()).split(" ");
        RuntimeException e = assertThrows(RuntimeException.class, () -> run(operands));
        assertTrue(e.getMessage().contains(message), line + " said: " + e.getMessage());
        assertEquals(0, pmem0.writes.get() + pmem1s.writes.get(), "nothing written");
        assertFalse(Files.exists(out), "no output file created");
        assertFalse(Files.exists(dir.resolve("pmem9")), "a device name is never taken for a file");
        assertEquals("", err.toString(), "no summary: nothing was copied");
    }

    /** A character device or pipe has no size to check against: it would copy 0 bytes and succeed. */
    @Test
    void anInputThatIsNoRegularFileIsRefused() throws Exception {
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        for (Path in : List.of(Path.of("/dev/zero"), fifo)) {
            if (!Files.exists(in)) {
                continue;
            }
            NvdimmException e = assertThrows(NvdimmException.class, () -> run("if=" + in, "of=pmem0", "count=1"));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().startsWith(in + ": not a regular file"), e.getMessage());
            assertEquals(0, pmem0.writes.get(), "nothing written");
        }
    }

    @Test
    void theSummaryReadsAsDdsLastLine() {
        assertEquals("1048576 bytes (1.0 MB, 1.0 MiB) copied, 0.0123 s, 85 MB/s", DdCommand.summary(1 << 20, 12_300_000));
        assertEquals("268435456 bytes (268 MB, 256 MiB) copied, 0.5 s, 537 MB/s", DdCommand.summary(256 << 20, 500_000_000));
        assertEquals("512 bytes copied, 1 s, 512 B/s", DdCommand.summary(512, 1_000_000_000));
    }
}
