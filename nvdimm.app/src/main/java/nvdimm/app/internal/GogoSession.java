package nvdimm.app.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import nvdimm.app.internal.console.ExitStatus;
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
        listenToJobs(gogo, sessionType);
        defineExit(gogo);
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
        List<String> units = new ArrayList<>();
        int unitStart = -1;
        int unitEnd = -1;
        try {
            for (Object part : parts) {
                String text = part.toString();
                boolean separator = operator.isInstance(part) && (text.equals(";") || text.equals("\n"));
                if (separator) {
                    if (unitStart >= 0) {
                        units.add(script.substring(unitStart, unitEnd));
                    }
                    unitStart = -1;
                    continue;
                }
                int s = (int) start.invoke(part);
                if (unitStart < 0) {
                    unitStart = s;
                }
                unitEnd = s + text.length();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        if (unitStart >= 0) {
            units.add(script.substring(unitStart, unitEnd));
        }
        return units;
    }

    /** Executes one statement; the command's own exception propagates unchanged. */
    Object execute(String statement) throws Exception {
        lastJobError.set(0);
        try {
            return execute.invoke(session, statement);
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
