package nvdimm.app.internal;

import java.io.InputStream;
import java.io.PrintStream;

import org.osgi.framework.BundleContext;

/**
 * One-shot mode: runs a script statement by statement in a fresh Gogo session, prints each
 * non-null result on stdout, and stops at the first failure with its message on stderr.
 */
final class OneShot {

    /** Exit code for a statement that threw without saying more (see {@link #exitStatus}). */
    static final int FAILED = 1;
    /** Exit code for a script Gogo cannot parse. */
    static final int SYNTAX = 2;

    static final String PLAIN_GREP = "grep = { gogo:grep --color=never $args }";

    private final BundleContext context;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    OneShot(BundleContext context, InputStream in, PrintStream out, PrintStream err) {
        this.context = context;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Runs {@code script} after {@code profile}; returns the process exit code. */
    int run(String profile, String script) throws LaunchException, InterruptedException {
        try (GogoSession gogo = GogoSession.open(context, in, out, err)) {
            gogo.execute(profile);
            if (!StandardInput.isTerminal(1)) {
                // Gogo's grep colours its matches whenever its output is the session's own; here
                // that output is a file or a pipe, not a terminal
                gogo.execute(PLAIN_GREP);
            }
            for (String statement : gogo.statements(script)) {
                Object result;
                try {
                    result = gogo.execute(statement);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (gogo.exitRequest() >= 0) {
                        out.flush();
                        return gogo.exitRequest();
                    }
                    err.println("nvdimm: " + statement + ": " + describe(e));
                    return exitStatus(e);
                }
                int error = gogo.lastError();
                if (error != 0) {
                    err.println("nvdimm: " + statement + ": failed with exit code " + error);
                    return error;
                }
                if (result != null) {
                    out.println(gogo.format(result));
                }
            }
            out.flush();
            return 0;
        } catch (GogoSession.ScriptException e) {
            err.println("nvdimm: " + e.getMessage());
            return SYNTAX;
        } catch (LaunchException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            err.println("nvdimm: " + describe(e));
            return FAILED;
        }
    }

    /**
     * The exit code for a statement that threw, as ndctl's: an exception (or a cause of it) that names its
     * own exit status ({@code int exitStatus()}, a command's usage error: 129) gives it; one that carries
     * an errno ({@code errno().code()}, the stack's {@code NvdimmException}) gives {@code 256 - errno}, as
     * ndctl's {@code return -errno} reaches the shell (EBUSY 240, EINVAL 234, ENXIO 250); anything else
     * {@link #FAILED}. Found by method name because the exception classes live in the framework's bundles.
     */
    static int exitStatus(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            try {
                Object status = t.getClass().getMethod("exitStatus").invoke(t);
                if (status instanceof Integer code && code > 0 && code < 256) {
                    return code;
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // no exit status of its own
            }
            try {
                Object errno = t.getClass().getMethod("errno").invoke(t);
                Object code = errno == null ? null : errno.getClass().getMethod("code").invoke(errno);
                if (code instanceof Integer c && c > 0 && c < 256) {
                    return 256 - c;
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // no errno
            }
        }
        return FAILED;
    }

    /** The message a person needs: the exception's own text, or its type when it has none. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName() : message;
    }
}
