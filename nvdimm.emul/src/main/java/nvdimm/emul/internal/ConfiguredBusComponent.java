package nvdimm.emul.internal;

import java.nio.file.Path;
import java.util.Map;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.emul.EmulConfig;
import nvdimm.lockdep.Lockdep;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One configured bus per factory configuration of {@value EmulConfig#FACTORY_PID}. Activation
 * parses the configuration, reserves the name and files, opens (or creates) the DIMMs and
 * registers the bus; any failure undoes what was done, and a refusal is logged in one line.
 * A changed configuration re-creates the component (no {@code modified} method): the bus is taken
 * down and brought up again. Deactivation unregisters the bus, then syncs and unmaps its media.
 */
@Component(name = EmulConfig.FACTORY_PID, service = {}, configurationPid = EmulConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConfiguredBusComponent.Config.class, factory = true)
public final class ConfiguredBusComponent {

    @ObjectClassDefinition(id = EmulConfig.FACTORY_PID, name = "nvdimm emulated bus",
            description = "An emulated NVDIMM bus (like nfit_test): DIMMs in files under the data directory or in"
                    + " memory, regions over them. One factory configuration per bus; FileInstall:"
                    + " etc/nvdimm.emul-NAME.cfg gives provider emul.NAME.")
    public @interface Config {
        @AttributeDefinition(name = "Name", required = false,
                description = "Bus name; the provider is emul.<name>. Default: the configuration's name.")
        String name();

        @AttributeDefinition(name = "DIMMs", min = "1", max = "64", description = "Number of DIMMs")
        int dimms() default ConfigParser.DEFAULT_DIMMS;

        @AttributeDefinition(name = "DIMM size",
                description = "Persistent memory per DIMM: bytes, or with a K, M, G or T suffix; a multiple of 4096")
        String dimm_size() default ConfigParser.DEFAULT_DIMM_SIZE;

        @AttributeDefinition(name = "Label area size",
                description = "Label storage area per DIMM: one size for all, or a comma list with one per DIMM;"
                        + " 0 for none, otherwise at least 128K")
        String label_size() default ConfigParser.DEFAULT_LABEL_SIZE;

        @AttributeDefinition(name = "Regions", required = false,
                description = "Comma list of regions; each is DIMM indexes joined by '+', optionally ':granularity'"
                        + " (power of two, at least 4096), e.g. 0+1:4096,2; empty for none."
                        + " Default: one region per DIMM")
        String regions();

        @AttributeDefinition(name = "Backing", description = "file: sparse files under <nvdimm.data>/media/emul.<name>/;"
                + " memory: volatile",
                options = {@Option(label = "file", value = EmulConfig.BACKING_FILE),
                        @Option(label = "memory", value = EmulConfig.BACKING_MEMORY)})
        String backing() default EmulConfig.BACKING_FILE;

        @AttributeDefinition(name = "Label max transfer", min = "1", max = "1048576",
                description = "Most label bytes one get/set label data command moves")
        int label_max_transfer() default EmulConfig.DEFAULT_MAX_TRANSFER;
    }

    private final Directory directory;
    /** The running bus. */
    private final Opened opened;

    private record Opened(Directory.Entry entry, EmulBus bus) {
    }

    /**
     * The component Declarative Services creates. A configuration this bundle refuses (bad keys, files
     * of the wrong size or in use elsewhere, a corrupt poison list) fails the activation with the
     * NvdimmException naming the configuration and the problem, and no bus: SCR logs it through the
     * launcher's log service, which gives the user one line naming the file and keeps the trace in the log.
     */
    @Activate
    public ConfiguredBusComponent(@Reference Lockdep lockdep, @Reference Directory directory, BundleContext context,
            Map<String, Object> properties) {
        this(lockdep, directory, new FrameworkPublisher(context), dataDir(context), properties);
    }

    /** Opens the bus or throws. */
    ConfiguredBusComponent(Lockdep lockdep, Directory directory, Publisher publisher, Path dataDir,
            Map<String, Object> properties) {
        this.directory = directory;
        this.opened = open(lockdep, directory, publisher, dataDir, properties);
    }

    private static Opened open(Lockdep lockdep, Directory directory, Publisher publisher, Path dataDir,
            Map<String, Object> properties) {
        Locks.register(lockdep);
        BusSpec spec = ConfigParser.parse(properties);
        if (!spec.memory() && dataDir == null) {
            throw new NvdimmException(Errno.EINVAL, spec.source() + ": the framework property "
                    + EmulConfig.DATA_DIR_PROPERTY + " is not set, so there is no place for the DIMM files; set it or use "
                    + EmulConfig.BACKING + " = " + EmulConfig.BACKING_MEMORY);
        }
        Directory.Entry entry = directory.reserve(spec.provider(), Directory.Kind.CONFIGURED,
                ConfiguredBus.files(spec, dataDir), EmulBus.span(ConfiguredBus.regionSizes(spec)));
        EmulBus bus = null;
        try {
            bus = ConfiguredBus.open(spec, dataDir, entry.base, lockdep, System::nanoTime);
            directory.opened(entry, bus, null);
            directory.published(entry, publisher.publish(bus, Directory.Kind.CONFIGURED));
            return new Opened(entry, bus);
        } catch (RuntimeException | Error e) {
            directory.remove(entry);
            if (bus != null) {
                try {
                    bus.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static Path dataDir(BundleContext context) {
        String dir = context.getProperty(EmulConfig.DATA_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** The running bus. */
    EmulBus bus() {
        return opened.bus();
    }

    /** Unregisters the bus, then syncs and unmaps its media; a failed sync is logged by SCR. */
    @Deactivate
    void deactivate() {
        try {
            Directory.unpublish(opened.entry()).run();
            opened.bus().close();
        } finally {
            directory.remove(opened.entry());
        }
    }
}
