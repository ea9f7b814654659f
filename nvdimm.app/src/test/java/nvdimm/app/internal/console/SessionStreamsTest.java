package nvdimm.app.internal.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

/** Ctrl-C on a command that reads the terminal: a hang-up it sees as end of input, never an interrupt mid-line. */
class SessionStreamsTest {

    @Test
    void ctrlCBetweenTwoReadsOfACommandHangsItUpInsteadOfInterruptingIt() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        try (Terminal terminal = TerminalBuilder.builder().system(false).type("xterm")
                .streams(in, new ByteArrayOutputStream()).build()) {
            SessionStreams streams = new SessionStreams(terminal);
            streams.resume();
            assertFalse(streams.hangUpReaders(), "a command that never read the terminal is interrupted");

            keys.write("food\r".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            byte[] buf = new byte[64];
            int n = streams.in().read(buf);
            assertEquals("food\n", new String(buf, 0, n, StandardCharsets.US_ASCII));
            // the command is handling its line now, between two reads (the moment the old code
            // interrupted it, killing grep with ClosedByInterruptException)
            assertTrue(streams.hangUpReaders(), "Ctrl-C between two reads hangs the reader up");
            assertEquals(-1, streams.in().read(buf), "its next read sees the end of input");
            assertFalse(streams.hangUpReaders(), "a second Ctrl-C interrupts a command that reads no more");

            streams.resume();
            assertFalse(streams.hangUpReaders(), "the next command starts afresh");
        }
    }
}
