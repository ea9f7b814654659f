package nvdimm.app.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import nvdimm.emul.EmulConfig;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.log.LoggerFactory;

/**
 * Starts and stops the embedded Felix runtime: the data directory, the bundles the launcher
 * carries, the startup barrier, then either the interactive shell or one-shot commands.
 */
public final class Launcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());

    /** How long start-up waits for bundles and FileInstall before it goes on and says what is missing. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final String PROFILE_RESOURCE = "gosh_profile";

    private final DataDir data;
    private final DataDirLock dataLock;
    private final Framework framework;
    private final Handler logHandler;
    private final String profile;
    private final Thread shutdownHook;

    private Launcher(DataDir data, DataDirLock dataLock, Framework framework, Handler logHandler, String profile) {
        this.data = data;
        this.dataLock = dataLock;
        this.framework = framework;
        this.logHandler = logHandler;
        this.profile = profile;
        this.shutdownHook = new Thread(this::stopQuietly, "nvdimm shutdown");
    }

    /** Runs the launcher for a command line; returns the process exit code. */
    public static int launch(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        LaunchOptions options;
        String script = null;
        try {
            options = LaunchOptions.parse(args, env);
            if (options.mode() == LaunchOptions.Mode.SCRIPT) {
                script = readScript(options.script(), in);
            } else if (options.mode() == LaunchOptions.Mode.COMMANDS) {
                script = options.commands();
            }
        } catch (LaunchOptions.UsageException e) {
            err.println("nvdimm: " + e.getMessage());
            err.print(LaunchOptions.USAGE);
            return OneShot.SYNTAX;
        } catch (IOException e) {
            err.println("nvdimm: " + OneShot.describe(e));
            return OneShot.SYNTAX;
        }
        if (options.mode() == LaunchOptions.Mode.HELP) {
            out.print(LaunchOptions.USAGE);
            return 0;
        }
        boolean interactive = options.mode() == LaunchOptions.Mode.INTERACTIVE;
        if (interactive && !StandardInput.isTerminal()) {
            // cron, CI, "echo cmd | nvdimm": no one to prompt, so run what arrives as a script
            try {
                script = readScript("-", in);
            } catch (IOException e) {
                err.println("nvdimm: cannot read standard input: " + OneShot.describe(e));
                return OneShot.SYNTAX;
            }
            interactive = false;
        }
        // Gogo's shell bundle builds a terminal for a console of its own, which the launcher never
        // runs (its shell is ConsoleBundle's). A system terminal would ignore Ctrl-C (Gogo's
        // handler) and touch the tty; a dumb one does neither.
        for (String provider : new String[] {"jna", "jansi", "exec"}) {
            System.setProperty("org.jline.terminal." + provider, "false");
        }
        System.setProperty("org.jline.terminal.dumb", "true");
        try (Launcher launcher = start(options.dataDir(), err)) {
            Runtime.getRuntime().addShutdownHook(launcher.shutdownHook);
            if (interactive) {
                return ConsoleBundle.run(launcher.context(), launcher.profile, launcher.data.shell().resolve("history"));
            }
            return new OneShot(launcher.context(), in, out, err).run(launcher.profile, script);
        } catch (LaunchException e) {
            err.println("nvdimm: " + e.getMessage());
            return OneShot.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("nvdimm: interrupted");
            return OneShot.FAILED;
        }
    }

    private static String readScript(String name, InputStream in) throws IOException {
        if (name.equals("-")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            throw new IOException("script " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        return Files.readString(file);
    }

    /**
     * Starts the runtime on {@code dataDir} and returns once the stack is ready: every bundle
     * started and FileInstall caught up with deploy/ and etc/. The shell bundle starts last.
     */
    public static Launcher start(Path dataDir, PrintStream err) throws LaunchException {
        DataDir data = new DataDir(dataDir);
        DataDirLock dataLock;
        try {
            dataLock = data.lock(); // first: a second runtime must not touch the first one's directory
        } catch (DataDirLock.InUseException e) {
            throw new LaunchException(e.getMessage(), e);
        } catch (IOException e) {
            throw new LaunchException("cannot prepare data directory " + dataDir + ": " + OneShot.describe(e), e);
        }
        Handler logHandler;
        String profile;
        try {
            if (data.create()) {
                writeDefaultConfiguration(data);
            }
            logHandler = LogSetup.toFile(data.log());
            profile = writeProfile(data);
        } catch (IOException e) {
            dataLock.close();
            throw new LaunchException("cannot prepare data directory " + dataDir + ": " + OneShot.describe(e), e);
        }
        Framework framework = new FrameworkFactory().newFramework(FrameworkProperties.of(data));
        Launcher launcher = new Launcher(data, dataLock, framework, logHandler, profile);
        long t0 = System.nanoTime();
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            context.addFrameworkListener(event -> reportFrameworkError(event, err));
            context.registerService(LoggerFactory.class, new RuntimeLog(data.etc(), err), null);
            long t1 = System.nanoTime();
            installBundles(context);
            BuiltInDeployGuard.register(context, data);
            long t2 = System.nanoTime();
            StartupBarrier barrier = new StartupBarrier(context, data);
            framework.start();
            long t3 = System.nanoTime();
            List<String> pending = barrier.await(READY_TIMEOUT);
            long t4 = System.nanoTime();
            if (!pending.isEmpty()) {
                err.println("nvdimm: started without waiting longer for: " + String.join("; ", pending));
            }
            raiseStartLevel(framework, EmbeddedBundles.SHELL_START_LEVEL);
            LOG.info(String.format("runtime ready %d ms after the JVM started: framework init %d ms, bundles"
                    + " installed %d ms, started %d ms, startup barrier %d ms, shell %d ms",
                    ManagementFactory.getRuntimeMXBean().getUptime(), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2),
                    ms(t4 - t3), ms(System.nanoTime() - t4)));
            return launcher;
        } catch (BundleException | IOException | ClassNotFoundException e) {
            launcher.close();
            throw new LaunchException("cannot start the runtime: " + OneShot.describe(e), e);
        } catch (InterruptedException e) {
            launcher.close();
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while starting the runtime", e);
        }
    }

    /**
     * A new data directory starts with the default emulated bus, like nfit_test's. Only on first
     * use: a user who deletes the file has removed the bus for good. The text is a compile-time
     * constant of the emul bundle's API, so the launcher needs no class of that bundle at run time.
     */
    private static void writeDefaultConfiguration(DataDir data) throws IOException {
        Files.writeString(data.etc().resolve(EmulConfig.DEFAULT_CFG_FILE), EmulConfig.DEFAULT_CFG);
    }

    private static String writeProfile(DataDir data) throws IOException {
        try (InputStream in = Launcher.class.getResourceAsStream(PROFILE_RESOURCE)) {
            if (in == null) {
                throw new IOException("the launcher carries no " + PROFILE_RESOURCE + "; rebuild it");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(data.shell().resolve("etc").resolve(PROFILE_RESOURCE), text);
            Path quiet = Files.createDirectories(data.quietShell().resolve("etc"));
            Files.writeString(quiet.resolve(PROFILE_RESOURCE),
                    "# Gogo's own console session, never shown: the launcher's sessions run ../../etc/gosh_profile\n");
            return text;
        }
    }

    private static void installBundles(BundleContext context) throws IOException, BundleException {
        EmbeddedBundles bundles = EmbeddedBundles.locate();
        try {
            List<Bundle> installed = new ArrayList<>();
            for (EmbeddedBundles.Entry entry : bundles.entries()) {
                try (InputStream in = entry.open()) {
                    Bundle b = context.installBundle(entry.location(), in);
                    b.adapt(BundleStartLevel.class).setStartLevel(entry.startLevel());
                    installed.add(b);
                }
            }
            for (Bundle b : installed) {
                if (b.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                    b.start(); // persistent: the bundle starts when the framework reaches its level
                }
            }
        } finally {
            bundles.close();
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void raiseStartLevel(Framework framework, int level) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(level, event -> reached.countDown());
        if (!reached.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warning("start level " + level + " not reached within " + READY_TIMEOUT);
        }
    }

    private static void reportFrameworkError(FrameworkEvent event, PrintStream err) {
        if (event.getType() == FrameworkEvent.ERROR) {
            Bundle b = event.getBundle();
            Throwable t = event.getThrowable();
            String what = b == null ? "framework" : b.getSymbolicName();
            LOG.log(Level.SEVERE, what, t);
            // A component that failed to activate: SCR has told why (RuntimeLog); this is the echo.
            boolean echo = t instanceof ServiceException se && se.getType() == ServiceException.FACTORY_ERROR;
            if (!echo) {
                err.println("nvdimm: " + what + ": " + (t == null ? "error" : OneShot.describe(t)));
            }
        }
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public Framework framework() {
        return framework;
    }

    public DataDir data() {
        return data;
    }

    private void stopQuietly() {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                framework.stop();
            }
            framework.waitForStop(STOP_TIMEOUT.toMillis());
        } catch (BundleException e) {
            LOG.log(Level.WARNING, "stopping the framework", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the framework and waits for it, then releases the log file and the data directory. */
    @Override
    public void close() {
        stopQuietly();
        dataLock.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or the hook was never added: the JVM stops the framework either way
        }
        Logger.getLogger("").removeHandler(logHandler);
        logHandler.close();
    }
}
