package nvdimm.virtio.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import nvdimm.bus.spi.BusProvider;
import nvdimm.lockdep.Lockdep;
import nvdimm.virtio.VirtioConfig;
import nvdimm.virtio.VirtioPmem;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One virtio-pmem device per factory configuration of {@value VirtioConfig#FACTORY_PID}. Activation parses
 * the configuration, claims the name and file, opens the device and registers it: first as
 * {@link VirtioPmem} (the shell's handle), then as the {@link BusProvider} the device core binds. A refused
 * configuration fails the activation with the message naming it, and nothing is created. A changed
 * configuration re-creates the component.
 *
 * <p>Deactivation (the configuration deleted or changed, the bundle stopped) freezes the queue first, so
 * every flush in flight returns EIO and nobody sleeps on a host that is going; then the bus goes (the core
 * tears its namespaces down), then the host, the mapping and the file.
 */
@Component(name = VirtioConfig.FACTORY_PID, service = {}, configurationPid = VirtioConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = VirtioPmemComponent.Config.class, factory = true)
public final class VirtioPmemComponent {

    @ObjectClassDefinition(id = VirtioConfig.FACTORY_PID, name = "nvdimm virtio-pmem device",
            description = "A virtio-pmem device: a backing file as persistent memory, flushed by a host through a"
                    + " virtqueue. FileInstall: etc/nvdimm.virtio-NAME.cfg")
    public @interface Config {
        @AttributeDefinition(name = "Name", required = false,
                description = "Device name; default: the configuration's name")
        String name();

        @AttributeDefinition(name = "Path", description = "Backing file, relative to the data directory;"
                + " created sparse if missing")
        String path();

        @AttributeDefinition(name = "Size", description = "Bytes, a multiple of 4096; K, M, G or T suffix")
        String size();

        @AttributeDefinition(name = "Queue size", description = "Descriptors in the virtqueue, a power of two")
        int queue_size() default VirtioConfig.DEFAULT_QUEUE_SIZE;

        @AttributeDefinition(name = "Host threads", description = "Host worker threads forcing the file")
        int host_threads() default VirtioConfig.DEFAULT_HOST_THREADS;
    }

    private final VirtioDirectory directory;
    private final VirtioDirectory.Claim claim;
    private final VirtioPmemDevice device;
    private final ServiceRegistration<VirtioPmem> handle;
    private final ServiceRegistration<BusProvider> bus;

    @Activate
    public VirtioPmemComponent(@Reference Lockdep lockdep, @Reference VirtioDirectory directory,
            BundleContext context, Map<String, Object> properties) {
        this.directory = directory;
        String data = context.getProperty("nvdimm.data");
        VirtioSpec spec = VirtioConfigParser.parse(properties, data == null || data.isBlank() ? null : Path.of(data));
        this.claim = directory.claim(spec);
        ServiceRegistration<VirtioPmem> h = null;
        VirtioPmemDevice d = null;
        try {
            d = VirtioPmemDevice.open(spec, claim.base, lockdep);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(VirtioConfig.DEVICE_PROPERTY, spec.name());
            h = context.registerService(VirtioPmem.class, d, props);
            props.put("nvdimm.provider", VirtioConfig.PROVIDER);
            this.bus = context.registerService(BusProvider.class, d.bus(), props);
        } catch (RuntimeException | Error e) {
            unregister(h);
            if (d != null) {
                try {
                    d.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            directory.release(claim);
            throw e;
        }
        this.device = d;
        this.handle = h;
    }

    VirtioPmemDevice device() {
        return device;
    }

    @Deactivate
    void deactivate() {
        directory.closing(claim);
        try {
            device.freeze();
            unregister(bus);
            unregister(handle);
            device.close();
        } finally {
            directory.release(claim);
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle stopped first, which unregistered it
        }
    }
}
