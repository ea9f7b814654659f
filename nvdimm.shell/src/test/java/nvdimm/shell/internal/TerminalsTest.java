package nvdimm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nvdimm.shell.internal.blockdev.DdCommands;
import nvdimm.shell.internal.blockdev.MemoryBlockDevice;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a command knows it talks to a person: only in the interactive shell's session (its console
 * keeps a line reader in {@code .reader}), and only for a stream that is neither piped nor redirected.
 * Also: dd's {@code key=value} operands reach it intact through Gogo's parser.
 */
class TerminalsTest {

    private final GogoSession gogo = new GogoSession();

    /** A command that reports what Terminals says about its stderr and stdout. */
    public static final class Probe {
        public void probe(CommandSession session) {
            System.out.println(Terminals.interactive(session, 2) + " " + Terminals.interactive(session, 1));
        }
    }

    private String printed() {
        String text = gogo.out.toString().strip();
        gogo.out.reset();
        return text;
    }

    @AfterEach
    void close() {
        gogo.close();
    }

    @Test
    void onlyTheInteractiveShellsOwnStreams(@TempDir Path dir) throws Exception {
        gogo.add("nvdimm", new Probe(), "probe");
        gogo.execute("probe");
        assertEquals("false false", printed(), "one-shot and scripts: no line reader");
        gogo.session.put(".reader", new Object());
        gogo.execute("probe");
        assertEquals("true true", printed());
        gogo.session.currentDir(dir);
        gogo.execute("probe > out.txt");
        assertEquals("true false", Files.readString(dir.resolve("out.txt")).strip(), "stdout redirected");
        gogo.execute("probe 2> err.txt");
        assertEquals("false true", printed(), "stderr redirected");
        assertEquals("false false", Terminals.interactive(null, 2) + " " + Terminals.interactive(null, 1));
    }

    @Test
    void ddsOperandsPassThroughGogo(@TempDir Path dir) throws Exception {
        MemoryBlockDevice pmem0 = new MemoryBlockDevice("pmem0", 512, 8);
        DdCommands dd = new DdCommands(List.of(pmem0));
        gogo.add("nvdimm", dd, "dd");
        Path in = dir.resolve("in.img");
        Files.write(in, new byte[4096]);
        gogo.session.currentDir(dir);
        gogo.execute("dd if=in.img of=pmem0 bs=1k count=2");
        assertTrue(gogo.out.toString().contains("2048 bytes (2.0 kB, 2.0 KiB) copied"), gogo.out.toString());
    }
}
