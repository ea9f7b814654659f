package nvdimm.app.internal.console;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.channels.Channel;
import java.nio.channels.Channels;

import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingInputStream;

/**
 * The terminal as the shell's session sees it, built so that Ctrl-C on a command that reads the
 * terminal ({@code cat}, {@code grep foo}) ends that command and leaves the shell working.
 * <ul>
 * <li>A command reads the terminal in non-canonical mode with a read timeout, the line edited
 * here (echo, erase, kill, Ctrl-D for end of file), so a read can be ended: a blocking canonical
 * read of a tty cannot, and the keystroke it would take later belongs to the next prompt.</li>
 * <li>Gogo wraps a session's streams in interruptible channels once, at creation; an interrupted
 * command closes them, and the stream under them. The session gets streams whose close leaves the
 * terminal open, and a closed channel is opened anew after each command.</li>
 * </ul>
 */
final class SessionStreams {

    /** How long one poll of the terminal waits before it looks whether Ctrl-C ended the input. */
    private static final long POLL_MS = 100;
    private static final Field CHANNELS;

    static {
        try {
            CHANNELS = CommandSessionImpl.class.getDeclaredField("channels");
            CHANNELS.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Terminal terminal;
    private final NonBlockingInputStream terminalIn;
    private final InputStream in = new LineInput();
    private final OutputStream out;
    private final Object lock = new Object();
    private volatile boolean hungUp;
    private volatile boolean reading;
    /** Whether the command running now has read the terminal (set at its first read, cleared by resume). */
    private volatile boolean readTerminal;
    /** The terminal's modes before a command started reading it, or null while it reads nothing. */
    private Attributes saved;
    private byte[] line = new byte[0];
    private int linePos;
    private boolean endOfFile;

    SessionStreams(Terminal terminal) {
        this.terminal = terminal;
        this.terminalIn = (NonBlockingInputStream) terminal.input();
        this.out = new FilterOutputStream(terminal.output()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                super.out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the terminal's, closed with the terminal
            }
        };
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /**
     * Ctrl-C: a command that reads the terminal sees end of file at its next read, also when Ctrl-C
     * comes between two of its reads (grep handling the line it just read: interrupting it would kill
     * it mid-line). Returns false when the command never read the terminal, or on a second Ctrl-C
     * before it read again, so the caller interrupts the job instead.
     */
    boolean hangUpReaders() {
        if (!reading && (!readTerminal || hungUp)) {
            return false;
        }
        hungUp = true;
        terminal.writer().println("^C"); // echo is ours while a command reads
        terminal.writer().flush();
        return true;
    }

    /** After a command: the terminal's modes as before, a fresh input for the next command. */
    void resume() {
        synchronized (lock) {
            if (saved != null) {
                terminal.setAttributes(saved);
                saved = null;
            }
            line = new byte[0];
            linePos = 0;
            endOfFile = false;
            hungUp = false;
            readTerminal = false;
        }
    }

    /** Replaces whichever of the session's stdin, stdout, stderr channels an interruption closed. */
    void reopen(Object session) {
        try {
            Channel[] channels = (Channel[]) CHANNELS.get(session);
            if (!channels[0].isOpen()) {
                channels[0] = Channels.newChannel(in);
            }
            boolean shared = channels[1] == channels[2];
            if (!channels[1].isOpen()) {
                channels[1] = Channels.newChannel(out);
            }
            if (shared) {
                channels[2] = channels[1];
            } else if (!channels[2].isOpen()) {
                channels[2] = Channels.newChannel(out);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Line-at-a-time input as a tty in canonical mode gives it, but with reads that can end. */
    private final class LineInput extends InputStream {

        @Override
        public int read() throws IOException {
            synchronized (lock) {
                while (linePos >= line.length) {
                    if (hungUp || endOfFile) {
                        endOfFile = false; // one Ctrl-D, one end of file: cat can be run again
                        return -1;
                    }
                    readLine();
                }
                return line[linePos++] & 0xff;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            synchronized (lock) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                int n = Math.min(len - 1, line.length - linePos);
                System.arraycopy(line, linePos, b, off + 1, n);
                linePos += n;
                return n + 1;
            }
        }

        @Override
        public void close() {
            // the terminal's, closed with the terminal
        }

        private void readLine() throws IOException {
            if (saved == null) {
                saved = terminal.getAttributes();
                Attributes polled = new Attributes(saved);
                polled.setLocalFlag(LocalFlag.ICANON, false);
                polled.setLocalFlag(LocalFlag.ECHO, false);
                polled.setControlChar(ControlChar.VMIN, 0);
                polled.setControlChar(ControlChar.VTIME, 1);
                terminal.setAttributes(polled);
            }
            int eof = saved.getControlChar(ControlChar.VEOF);
            int erase = saved.getControlChar(ControlChar.VERASE);
            int kill = saved.getControlChar(ControlChar.VKILL);
            ByteArrayOutputStream edited = new ByteArrayOutputStream();
            readTerminal = true;
            reading = true;
            try {
                while (!hungUp) {
                    int c = terminalIn.read(POLL_MS);
                    if (c == NonBlockingInputStream.READ_EXPIRED) {
                        continue;
                    }
                    if (c < 0 || (c == eof && edited.size() == 0)) {
                        endOfFile = true;
                        break;
                    }
                    if (c == eof) {
                        break; // Ctrl-D after text hands the text over without a newline
                    }
                    if (c == '\r' || c == '\n') {
                        edited.write('\n');
                        echo("\n");
                        break;
                    }
                    if (c == erase || c == '\b') {
                        erase(edited, 1);
                    } else if (c == kill) {
                        erase(edited, edited.size());
                    } else {
                        edited.write(c);
                        terminal.output().write(c);
                        terminal.output().flush();
                    }
                }
            } finally {
                reading = false;
            }
            line = edited.toByteArray();
            linePos = 0;
        }

        /** Removes the last {@code chars} characters, UTF-8 continuation bytes with their lead. */
        private void erase(ByteArrayOutputStream edited, int chars) throws IOException {
            byte[] text = edited.toByteArray();
            int end = text.length;
            for (int i = 0; i < chars && end > 0; i++) {
                do {
                    end--;
                } while (end > 0 && (text[end] & 0xc0) == 0x80);
                echo("\b \b");
            }
            edited.reset();
            edited.write(text, 0, end);
        }

        private void echo(String s) throws IOException {
            terminal.output().write(s.getBytes(terminal.encoding()));
            terminal.output().flush();
        }
    }
}
