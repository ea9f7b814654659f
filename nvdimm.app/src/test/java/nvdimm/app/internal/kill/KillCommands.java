package nvdimm.app.internal.kill;

import java.nio.file.Path;
import java.util.Hashtable;

import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespaces;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The kill test bundle's activator: registers the Gogo commands {@code killtest:write} and
 * {@code killtest:churn} that the process-kill test runs in a child runtime. Test code only: this bundle
 * is built by the test and dropped into the child's {@code deploy/}; the product shell has no such command.
 */
public final class KillCommands implements BundleActivator {

    private BundleContext context;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "killtest");
        props.put("osgi.command.function", new String[] {"write", "churn"});
        context.registerService(KillCommands.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
        this.context = null;
    }

    /** Dumps {@code device} to {@code dump}, then writes as {@code mode} says until killed. */
    public void write(String device, String dump, String report, long generation, int threads, String mode)
            throws Exception {
        BlockDevice disk = Services.await(context, BlockDevice.class, d -> d.name().equals(device) && d.isActive(),
                device);
        try (Report r = new Report(Path.of(report))) {
            SectorWriter writer = new SectorWriter(disk, r, generation);
            writer.dump(Path.of(dump));
            writer.run(mode, threads);
        }
    }

    /**
     * Checks the BTT of every sector namespace of {@code region} that has its block device
     * ({@code ndctl:check-namespace -f}), then creates and destroys namespaces there until killed.
     */
    public void churn(CommandSession session, String region, String report, long seed) throws Exception {
        Namespaces namespaces = Services.await(context, Namespaces.class, n -> true, "the namespace service");
        for (var n : namespaces.list()) {
            if (n.region().equals(region) && n.mode() == nvdimm.namespace.NamespaceMode.SECTOR
                    && n.blockdev().isPresent()) {
                session.execute("ndctl:check-namespace -f " + n.dev()); // throws unless consistent
            }
        }
        try (Report r = new Report(Path.of(report))) {
            new NamespaceChurn(namespaces, r, seed).run(region);
        }
    }
}
