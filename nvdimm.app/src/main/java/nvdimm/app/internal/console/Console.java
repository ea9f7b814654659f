package nvdimm.app.internal.console;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.felix.gogo.jline.Expander;
import org.apache.felix.gogo.jline.Highlighter;
import org.apache.felix.gogo.jline.Shell;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.gogo.runtime.Parser;
import org.apache.felix.gogo.runtime.Token;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Job;
import org.jline.builtins.Completers;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The interactive shell: a JLine line reader on the process's terminal driving one Gogo session.
 * It runs inside the framework (JLine and Gogo live in bundles) on the launcher's main thread.
 * Unlike Gogo's own console it prints an error's message alone (the trace goes to the log and to
 * {@code e}), survives Ctrl-C on a command that reads the terminal, and ends on {@code exit [N]}
 * or {@code quit [N]} with N as the process's exit code, after the launcher stops the framework.
 */
public final class Console {

    private static final Logger LOG = Logger.getLogger(Console.class.getName());
    private static final String REDIRECT_VARIABLE = ".nvdimm.redirect";

    private final CommandSession session;
    private final Terminal terminal;
    private final SessionStreams streams;
    private final LineReader reader;
    private final ExitRequest.Holder exit = new ExitRequest.Holder();

    private Console(CommandSession session, Terminal terminal, SessionStreams streams, LineReader reader) {
        this.session = session;
        this.terminal = terminal;
        this.streams = streams;
        this.reader = reader;
    }

    /**
     * Runs the shell until Ctrl-D, {@code exit}/{@code quit}, or the framework stopping; returns the
     * process exit code. Called reflectively by the launcher once the stack is ready.
     */
    public static int run(String profile, Path history) throws Exception {
        Bundle self = FrameworkUtil.getBundle(Console.class);
        BundleContext context = self.getBundleContext();
        ServiceReference<CommandProcessor> ref = context.getServiceReference(CommandProcessor.class);
        CommandProcessor processor = ref == null ? null : context.getService(ref);
        if (processor == null) {
            throw new IllegalStateException("the Gogo command processor is not running; see log/nvdimm.log");
        }
        // The launcher tells Gogo's own console to build a dumb terminal; this one is the real one.
        Terminal terminal = TerminalBuilder.builder().name("nvdimm").system(true)
                .jna(false).jansi(false).exec(true).dumb(true)
                .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
        // Stopping the framework from elsewhere (SIGTERM, "stop 0") must end a pending readLine.
        SynchronousBundleListener closer = event -> {
            if (event.getBundle() == self && event.getType() == BundleEvent.STOPPING) {
                closeQuietly(terminal);
            }
        };
        context.addBundleListener(closer);
        SessionStreams streams = new SessionStreams(terminal);
        CommandSession session = processor.createSession(streams.in(), streams.out(), streams.out());
        try {
            Console console = new Console(session, terminal, streams, newReader(session, terminal, history));
            return console.loop(profile);
        } finally {
            closeQuietly(terminal);
            session.close();
            try {
                context.removeBundleListener(closer);
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the framework stopped under the shell (SIGTERM, "stop 0"): nothing left to release
            }
        }
    }

    private static LineReader newReader(CommandSession session, Terminal terminal, Path history) {
        session.put(".terminal", terminal);
        session.put("#TERM", (Function) (s, args) -> terminal.getType());
        session.put("#COLUMNS", (Function) (s, args) -> terminal.getWidth());
        session.put("#LINES", (Function) (s, args) -> terminal.getHeight());
        session.put("#PWD", (Function) (s, args) -> s.currentDir().toString());
        session.put(LineReader.HISTORY_FILE, history);
        Completers.CompletionEnvironment completion = new Completers.CompletionEnvironment() {
            @Override
            public Map<String, List<Completers.CompletionData>> getCompletions() {
                return Shell.getCompletions(session);
            }

            @Override
            public Set<String> getCommands() {
                return Shell.getCommands(session);
            }

            @Override
            public String resolveCommand(String command) {
                return Shell.resolve(session, command);
            }

            @Override
            public String commandName(String command) {
                int colon = command.indexOf(':');
                return colon >= 0 ? command.substring(colon + 1) : command;
            }

            @Override
            public Object evaluate(LineReader reader, ParsedLine line, String function) throws Exception {
                session.put(".commandLine", line);
                return session.execute(function);
            }
        };
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("nvdimm")
                .variables(((CommandSessionImpl) session).getVariables())
                .completer(new Completers.Completer(completion))
                .highlighter(new Highlighter(session))
                .parser(new org.apache.felix.gogo.jline.Parser())
                .expander(new Expander(session))
                .build();
        reader.setOpt(LineReader.Option.AUTO_FRESH_LINE);
        session.put(".reader", reader);
        session.put(".completions", new HashMap<>());
        return reader;
    }

    private int loop(String profile) throws InterruptedException {
        ExitRequest.define(session, exit);
        execute(profile);
        Terminal.SignalHandler previous = terminal.handle(Signal.INT, signal -> {
            Job job = session.foregroundJob();
            if (job != null && !streams.hangUpReaders()) {
                job.interrupt();
            }
        });
        try {
            while (!exit.requested()) {
                String line;
                try {
                    line = reader.readLine(Shell.getPrompt(session), Shell.getRPrompt(session), (Character) null, null);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt drops the line, as a shell does
                } catch (EndOfFileException | java.io.IOError e) {
                    break; // Ctrl-D, or the terminal closed under us
                }
                execute(line);
            }
        } finally {
            terminal.handle(Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                LOG.log(Level.FINE, "saving the shell history", e);
            }
        }
        return exit.code();
    }

    /** Executes one line and prints its result or its error; the shell goes on either way. */
    private void execute(CharSequence line) {
        streams.resume();
        try {
            Object result = session.execute(line);
            session.put("_", result);
            if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                CharSequence formatted = session.format(result, Converter.INSPECT);
                List<Path> files = redirectedTo(line);
                if (files.isEmpty()) {
                    terminal.writer().println(formatted);
                } else {
                    ResultRedirection.append(files, formatted.toString());
                }
            }
        } catch (Exception e) {
            if (!exit.requested()) {
                report(line, e);
            }
        } finally {
            awaitForegroundJob();
            streams.resume();
            // Ctrl-C interrupts the job's threads, this one among them: never carry that into the
            // next readLine, which would fail at once and leave the shell dead until Ctrl-D.
            Thread.interrupted();
            streams.reopen(session);
            terminal.writer().flush();
        }
    }

    /** The files a line that is one pipeline redirects its standard output to, else none. */
    private List<Path> redirectedTo(CharSequence line) throws Exception {
        List<Parser.Executable> parts = new org.apache.felix.gogo.runtime.Parser(line).program().tokens();
        if (parts.size() != 1) {
            return List.of();
        }
        Parser.Executable last = parts.get(0);
        if (last instanceof Parser.Pipeline pipeline) {
            last = pipeline.tokens().get(pipeline.tokens().size() - 1);
        }
        List<Path> files = new ArrayList<>();
        if (last instanceof Parser.Statement statement) {
            List<Token> redirections = statement.redirections();
            for (int i = 0; i + 1 < redirections.size(); i += 2) {
                var r = new ResultRedirection.Redirection(redirections.get(i).toString(), redirections.get(i + 1).toString());
                if (r.isStdout()) {
                    // expanded by Gogo as the redirection was; relative to the session's directory
                    Object target = session.execute(REDIRECT_VARIABLE + " = " + r.target());
                    session.put(REDIRECT_VARIABLE, null);
                    files.add(session.currentDir().resolve(String.valueOf(target)));
                }
            }
        }
        return files;
    }

    /** A pipeline runs on Gogo's threads; the prompt comes back once none of it is left running. */
    private void awaitForegroundJob() {
        Job job;
        while ((job = session.foregroundJob()) != null) {
            synchronized (job) {
                try {
                    if (job.status() == Job.Status.Foreground) {
                        job.wait(100);
                    }
                } catch (InterruptedException e) {
                    job.interrupt();
                }
            }
        }
    }

    private void report(CharSequence line, Exception e) {
        session.put("exception", e);
        PrintWriter out = terminal.writer();
        if (isInterruption(e)) {
            out.println(); // Ctrl-C on a command: back to the prompt on a line of its own
            return;
        }
        LOG.log(Level.INFO, "shell: " + line, e);
        AttributedStringBuilder text = new AttributedStringBuilder();
        text.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
        text.append(message(e));
        text.style(AttributedStyle.DEFAULT);
        out.println(text.toAnsi(terminal));
    }

    /** The exception's own text, or its simple type name when it has none. */
    static String message(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Terminal terminal) {
        try {
            terminal.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the terminal", e);
        }
    }
}
