package nvdimm.app.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.service.log.LoggerConsumer;
import org.osgi.service.log.LoggerFactory;

/**
 * The OSGi log (R7 {@link LoggerFactory}) of the runtime, registered by the launcher before any
 * bundle starts. Service Component Runtime logs through it instead of printing its own stack
 * traces on stderr: every record goes to java.util.logging ({@code log/nvdimm.log}) with its
 * trace; an error also gets one line on stderr with the problem's own message and, when it is
 * about a configuration, the file under {@code etc/} it came from.
 */
final class RuntimeLog implements LoggerFactory {

    /** "java.lang.NumberFormatException: " before a wrapped exception's message: not for people. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

    private final Path etc;
    private final PrintStream err;
    /** Each problem is told once: SCR logs the same failure at every activation attempt. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    RuntimeLog(Path etc, PrintStream err) {
        this.etc = etc;
        this.err = err;
    }

    @Override
    public org.osgi.service.log.Logger getLogger(String name) {
        return getLogger(null, name, org.osgi.service.log.Logger.class);
    }

    @Override
    public org.osgi.service.log.Logger getLogger(Class<?> clazz) {
        return getLogger(clazz.getName());
    }

    @Override
    public <L extends org.osgi.service.log.Logger> L getLogger(String name, Class<L> loggerType) {
        return getLogger(null, name, loggerType);
    }

    @Override
    public <L extends org.osgi.service.log.Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return getLogger(null, clazz.getName(), loggerType);
    }

    @Override
    public <L extends org.osgi.service.log.Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        String origin = bundle == null ? name : bundle.getSymbolicName();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name == null ? origin : name);
        boolean printf = loggerType.getSimpleName().equals("FormatterLogger");
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getName" -> jul.getName();
            case "isTraceEnabled" -> jul.isLoggable(Level.FINEST);
            case "isDebugEnabled" -> jul.isLoggable(Level.FINE);
            case "isInfoEnabled" -> jul.isLoggable(Level.INFO);
            case "isWarnEnabled", "isErrorEnabled" -> jul.isLoggable(Level.WARNING);
            case "trace" -> log(proxy, jul, Level.FINEST, origin, printf, args);
            case "debug" -> log(proxy, jul, Level.FINE, origin, printf, args);
            case "info", "audit" -> log(proxy, jul, Level.INFO, origin, printf, args);
            case "warn" -> log(proxy, jul, Level.WARNING, origin, printf, args);
            case "error" -> log(proxy, jul, Level.SEVERE, origin, printf, args);
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "nvdimm log " + jul.getName();
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return loggerType.cast(Proxy.newProxyInstance(loggerType.getClassLoader(), new Class<?>[] {loggerType}, handler));
    }

    /**
     * One logging call of the proxy {@code logger}: a message with its arguments, or a LoggerConsumer,
     * which is given the logger when the level is enabled (R7's deferred form).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object log(Object logger, java.util.logging.Logger jul, Level level, String origin, boolean printf,
            Object[] args) throws Exception {
        if (args[0] instanceof LoggerConsumer consumer) {
            if (jul.isLoggable(level)) {
                consumer.accept((org.osgi.service.log.Logger) logger);
            }
            return null;
        }
        if (!(args[0] instanceof String format)) {
            return null; // a null message: nothing to say
        }
        Object[] rest = new Object[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        if (rest.length == 1 && rest[0] instanceof Object[] varargs) {
            rest = varargs;
        }
        Throwable thrown = rest.length > 0 && rest[rest.length - 1] instanceof Throwable t ? t : null;
        String message = printf ? String.format(format, rest) : substitute(format, rest);
        if (jul.isLoggable(level)) {
            jul.log(level, "[" + origin + "] " + message, thrown);
        }
        if (level == Level.SEVERE) {
            String line = "nvdimm: " + summary(origin, message, thrown);
            if (told.add(line)) {
                err.println(line);
            }
        }
        return null;
    }

    /** R7 logger formatting: each {} takes the next argument; a trailing exception is not one. */
    static String substitute(String format, Object[] args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        int from = 0;
        int at;
        while ((at = format.indexOf("{}", from)) >= 0) {
            out.append(format, from, at);
            boolean isArgument = next < args.length && !(next == args.length - 1 && args[next] instanceof Throwable);
            out.append(isArgument ? String.valueOf(args[next++]) : "{}");
            from = at + 2;
        }
        return out.append(format.substring(from)).toString();
    }

    /** One line for a person: the deepest message, and the etc/ file of a configuration it names. */
    String summary(String origin, String message, Throwable thrown) {
        String problem = message;
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (!(t instanceof InvocationTargetException) && t.getMessage() != null && !t.getMessage().isBlank()) {
                problem = t.getMessage();
            }
        }
        problem = CLASS_PREFIX.matcher(problem).replaceFirst("");
        Path file = configurationFile(problem, origin);
        if (file != null) {
            String pidPrefix = pid(file) + ": ";
            String rest = problem.startsWith(pidPrefix) ? problem.substring(pidPrefix.length()) : problem;
            return etc.getFileName().resolve(file.getFileName()) + ": " + rest;
        }
        return origin + ": " + problem;
    }

    /**
     * The file under etc/ whose configuration PID the message names; else the one file whose PID
     * is the failing bundle's name (nvdimm.region.cfg for nvdimm.region); else none.
     */
    private Path configurationFile(String problem, String bundle) {
        List<Path> files;
        try (Stream<Path> list = Files.list(etc)) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".cfg") || n.endsWith(".config");
            }).toList();
        } catch (IOException e) {
            return null;
        }
        Path named = files.stream().filter(p -> problem.contains(pid(p)))
                .max((a, b) -> Integer.compare(pid(a).length(), pid(b).length())).orElse(null);
        if (named != null) {
            return named;
        }
        List<Path> own = files.stream().filter(p -> pid(p).equals(bundle)).toList();
        return own.size() == 1 ? own.get(0) : null;
    }

    /** FileInstall's PID for a file: the name without its extension, "a-b" a factory "a~b". */
    static String pid(Path file) {
        String n = file.getFileName().toString();
        String base = n.substring(0, n.lastIndexOf('.'));
        int dash = base.indexOf('-');
        return dash < 0 ? base : base.substring(0, dash) + "~" + base.substring(dash + 1);
    }
}
