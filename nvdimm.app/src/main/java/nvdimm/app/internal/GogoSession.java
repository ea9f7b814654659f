package nvdimm.app.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.app.internal.console.ExitStatus;
import nvdimm.app.internal.console.ResultRedirection;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A Gogo command session driven from outside the framework. The Gogo API lives in a bundle, not
 * on the launcher's class path, so this class is the one place that reaches it reflectively:
 * creating the session, splitting a script into statements with Gogo's own parser, executing,
 * formatting results, and learning the exit code of commands that fail without throwing.
 */
final class GogoSession implements AutoCloseable {

    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final String JOB = "org.apache.felix.service.command.Job";
    private static final String JOB_LISTENER = "org.apache.felix.service.command.JobListener";
    private static final String PARSER = "org.apache.felix.gogo.runtime.Parser";
    private static final String OPERATOR = "org.apache.felix.gogo.runtime.Parser$Operator";
    private static final String JLINE_BUNDLE = "org.jline";
    private static final String DUMB_TERMINAL = "org.jline.terminal.impl.DumbTerminal";
    private static final String TERMINAL = "org.jline.terminal.Terminal";
    private static final String TERMINAL_SIZE = "org.jline.terminal.Size";
    private static final String REDIRECT_VARIABLE = ".nvdimm.redirect";
    private static final String PIPELINE = "org.apache.felix.gogo.runtime.Parser$Pipeline";
    private static final String STATEMENT = "org.apache.felix.gogo.runtime.Parser$Statement";
    private static final String TOKEN = "org.apache.felix.gogo.runtime.Token";
    private static final String COMMAND_NOT_FOUND = "org.apache.felix.gogo.runtime.CommandNotFoundException";
    private static final int INSPECT = 0; // Converter.INSPECT: the form the interactive shell prints

    private final BundleContext context;
    private final ServiceReference<?> reference;
    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;
    private final Constructor<?> parser;
    private final Method program;
    private final Method tokens;
    private final Method start;
    private final Class<?> operator;
    private final Class<?> pipeline;
    private final Method pipelineTokens;
    private final Class<?> statementType;
    private final Method redirections;
    private final Method put;
    private final ClassLoader processorLoader;
    private final Method currentDir;
    private static final String FUNCTION = "org.apache.felix.service.command.Function";
    /** The code {@code exit [N]} or {@code quit [N]} asked for, or -1. */
    private final AtomicInteger exitRequest = new AtomicInteger(-1);
    /** Exit code of the last top-level job that ended without an exception, 0 if it succeeded. */
    private final AtomicInteger lastJobError = new AtomicInteger();

    private GogoSession(BundleContext context, ServiceReference<?> reference, Object processor,
            InputStream in, PrintStream out, PrintStream err) throws ReflectiveOperationException {
        this.context = context;
        this.reference = reference;
        ClassLoader gogo = processor.getClass().getClassLoader();
        this.processorLoader = gogo;
        Class<?> processorType = gogo.loadClass(PROCESSOR);
        Class<?> sessionType = gogo.loadClass(SESSION);
        Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        this.session = create.invoke(processor, in, out, err);
        this.execute = sessionType.getMethod("execute", CharSequence.class);
        this.format = sessionType.getMethod("format", Object.class, int.class);
        this.close = sessionType.getMethod("close");
        Class<?> parserType = gogo.loadClass(PARSER);
        this.parser = parserType.getConstructor(CharSequence.class);
        this.program = parserType.getMethod("program");
        this.tokens = program.getReturnType().getMethod("tokens");
        this.start = gogo.loadClass(TOKEN).getMethod("start");
        this.operator = gogo.loadClass(OPERATOR);
        this.pipeline = gogo.loadClass(PIPELINE);
        this.pipelineTokens = pipeline.getMethod("tokens");
        this.statementType = gogo.loadClass(STATEMENT);
        this.redirections = statementType.getMethod("redirections");
        this.put = sessionType.getMethod("put", String.class, Object.class);
        this.currentDir = sessionType.getMethod("currentDir");
        listenToJobs(gogo, sessionType);
        defineExit(gogo);
        defineTerminal(context, in, out);
    }

    /**
     * Gogo's builtins that look at the terminal ({@code ls} for its width, {@code sh}) find a dumb
     * one on the run's own streams, 80 columns wide; {@code less}, a pager, is refused: it needs a
     * person at a terminal.
     */
    private void defineTerminal(BundleContext context, InputStream in, PrintStream out) throws ReflectiveOperationException {
        Bundle jline = null;
        for (Bundle b : context.getBundles()) {
            if (JLINE_BUNDLE.equals(b.getSymbolicName())) {
                jline = b;
            }
        }
        if (jline == null) {
            return; // no JLine, no Gogo builtins that need it
        }
        Class<?> dumb = jline.loadClass(DUMB_TERMINAL);
        Object terminal = dumb.getConstructor(String.class, String.class, InputStream.class, OutputStream.class,
                java.nio.charset.Charset.class).newInstance("nvdimm", "dumb", in, out, java.nio.charset.StandardCharsets.UTF_8);
        Class<?> size = jline.loadClass(TERMINAL_SIZE);
        jline.loadClass(TERMINAL).getMethod("setSize", size).invoke(terminal, size.getConstructor(int.class, int.class)
                .newInstance(80, 24));
        Method put = session.getClass().getMethod("put", String.class, Object.class);
        put.invoke(session, ".terminal", terminal);
        Class<?> functionType = processorLoader.loadClass(FUNCTION);
        InvocationHandler refuse = (proxy, method, args) -> switch (method.getName()) {
            case "execute" -> throw new IllegalStateException(
                    "less: a pager needs a terminal; use cat here, or less in the interactive shell");
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "nvdimm less";
        };
        put.invoke(session, "less", Proxy.newProxyInstance(processorLoader, new Class<?>[] {functionType}, refuse));
    }

    /** {@code exit [N]} and {@code quit [N]}: session variables, so they shadow {@code system:exit}. */
    private void defineExit(ClassLoader gogo) throws ReflectiveOperationException {
        Class<?> functionType = gogo.loadClass(FUNCTION);
        Method put = session.getClass().getMethod("put", String.class, Object.class);
        for (String name : ExitStatus.COMMANDS) {
            InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
                case "execute" -> {
                    int code = ExitStatus.parse(name, (List<?>) args[1]);
                    exitRequest.set(code);
                    throw new ExitStatus.Request(name, code);
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "nvdimm " + name;
            };
            put.invoke(session, name, Proxy.newProxyInstance(gogo, new Class<?>[] {functionType}, handler));
        }
    }

    /** The exit code {@code exit}/{@code quit} asked for, or -1 when neither ran. */
    int exitRequest() {
        return exitRequest.get();
    }

    /** Opens a session on the framework's command processor, or fails if there is none. */
    static GogoSession open(BundleContext context, InputStream in, PrintStream out, PrintStream err)
            throws LaunchException {
        ServiceReference<?> ref = Services.any(context, PROCESSOR);
        Object processor = ref == null ? null : context.getService(ref);
        if (processor == null) {
            throw new LaunchException("the Gogo command processor is not running; see log/nvdimm.log");
        }
        try {
            return new GogoSession(context, ref, processor, in, out, err);
        } catch (ReflectiveOperationException e) {
            context.ungetService(ref);
            throw new LaunchException("the Gogo runtime in this build is not the one the launcher expects: " + e, e);
        }
    }

    private void listenToJobs(ClassLoader gogo, Class<?> sessionType) throws ReflectiveOperationException {
        Class<?> listenerType = gogo.loadClass(JOB_LISTENER);
        Class<?> jobType = gogo.loadClass(JOB);
        Method parent = jobType.getMethod("parent");
        Method result = jobType.getMethod("result");
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("jobChanged") && args.length == 3
                    && String.valueOf(args[2]).equals("Done") && parent.invoke(args[0]) == null) {
                Object r = result.invoke(args[0]);
                int error = 0;
                if (r != null) {
                    error = (int) r.getClass().getMethod("error").invoke(r);
                }
                lastJobError.set(error);
            }
            return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "nvdimm one-shot job listener";
                default -> null;
            };
        };
        Object listener = Proxy.newProxyInstance(gogo, new Class<?>[] {listenerType}, handler);
        sessionType.getMethod("setJobListener", listenerType).invoke(session, listener);
    }

    /**
     * Splits a script into the units that one-shot mode runs and reports one by one: statements
     * separated by {@code ;} or newlines. Statements joined by {@code &&}, {@code ||} or {@code &}
     * stay together so that Gogo keeps their meaning.
     */
    List<String> statements(String script) throws ScriptException {
        List<?> parts;
        try {
            Object prog = program.invoke(parser.newInstance(script));
            parts = (List<?>) tokens.invoke(prog);
        } catch (InvocationTargetException e) {
            throw new ScriptException("syntax error: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        // Cut the text at the separators, so that each unit keeps all of its text: the parser's
        // tokens of a statement leave its redirections ("> file") out.
        List<String> units = new ArrayList<>();
        int unitStart = 0;
        try {
            for (Object part : parts) {
                String text = part.toString();
                if (operator.isInstance(part) && (text.equals(";") || text.equals("\n"))) {
                    int s = (int) start.invoke(part);
                    addUnit(units, script.substring(unitStart, s));
                    unitStart = s + text.length();
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        addUnit(units, script.substring(unitStart));
        return units;
    }

    /** The redirections of standard output of a statement that is one pipeline, else none. */
    private List<ResultRedirection.Redirection> stdoutRedirections(String statement) throws ReflectiveOperationException {
        List<?> parts;
        try {
            parts = (List<?>) tokens.invoke(program.invoke(parser.newInstance(statement)));
        } catch (InvocationTargetException e) {
            return List.of(); // Gogo will report the syntax error itself
        }
        if (parts.size() != 1) {
            return List.of(); // several pipelines joined by && or ||: their results are not printed
        }
        Object last = parts.get(0);
        if (pipeline.isInstance(last)) {
            List<?> statements = (List<?>) pipelineTokens.invoke(last);
            last = statements.get(statements.size() - 1);
        }
        if (!statementType.isInstance(last)) {
            return List.of();
        }
        List<?> redirections = (List<?>) this.redirections.invoke(last);
        List<ResultRedirection.Redirection> found = new ArrayList<>();
        for (int i = 0; i + 1 < redirections.size(); i += 2) {
            var r = new ResultRedirection.Redirection(redirections.get(i).toString(), redirections.get(i + 1).toString());
            if (r.isStdout()) {
                found.add(r);
            }
        }
        return found;
    }

    /** The file a redirection's target names, expanded by Gogo as the redirection was. */
    private Path targetFile(String target) throws Exception {
        Object value = execute.invoke(session, REDIRECT_VARIABLE + " = " + target);
        put.invoke(session, REDIRECT_VARIABLE, null);
        Path dir = (Path) currentDir.invoke(session);
        return dir.resolve(String.valueOf(value));
    }

    /** Adds a unit unless it holds nothing but blanks and comments. */
    private static void addUnit(List<String> units, String unit) {
        String text = unit.strip();
        if (text.lines().anyMatch(line -> !line.isBlank() && !line.strip().startsWith("#"))) {
            units.add(text);
        }
    }

    /**
     * Executes one statement; the command's own exception propagates unchanged. The result of a
     * statement whose standard output is redirected goes to the files, and null is returned.
     */
    Object execute(String statement) throws Exception {
        lastJobError.set(0);
        try {
            Object result = execute.invoke(session, statement);
            List<ResultRedirection.Redirection> redirected = result == null ? List.of() : stdoutRedirections(statement);
            if (redirected.isEmpty() || lastJobError.get() != 0) {
                return result;
            }
            List<Path> files = new ArrayList<>();
            for (ResultRedirection.Redirection r : redirected) {
                files.add(targetFile(r.target()));
            }
            ResultRedirection.append(files, format(result));
            return null;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    /** The exit code of the statement just executed when it failed without throwing, else 0. */
    int lastError() {
        return lastJobError.get();
    }

    /** Formats a result as the interactive shell would print it. */
    String format(Object result) throws Exception {
        try {
            return String.valueOf(format.invoke(session, result, INSPECT));
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    static boolean isCommandNotFound(Throwable t) {
        return t.getClass().getName().equals(COMMAND_NOT_FOUND);
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException e) {
            // the session is gone with its bundle; nothing left to release
        } finally {
            context.ungetService(reference);
        }
    }

    /** A script that Gogo cannot parse. */
    static final class ScriptException extends Exception {
        private static final long serialVersionUID = 1L;

        ScriptException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
