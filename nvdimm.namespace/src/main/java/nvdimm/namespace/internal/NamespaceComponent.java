package nvdimm.namespace.internal;

import java.util.Hashtable;
import java.util.Map;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Namespaces;
import nvdimm.namespace.internal.labels.RegionLabelReader;
import nvdimm.namespace.spi.ModeProvider;
import nvdimm.region.NamespaceProvider;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The namespace core as a DS component: the regions' {@link NamespaceProvider}, the namespace driver
 * ({@code nd_pmem}) and the {@link Namespaces} service. Raw disks are registered through the bundle's
 * context; a synchronous service listener on the namespace devices' own services withdraws a device's raw
 * disk as the device core withdraws them (before the driver's remove, with no device lock held).
 */
@Component(service = {NamespaceProvider.class, Namespaces.class, Driver.class}, immediate = true)
public class NamespaceComponent extends NamespaceCore implements Driver {
    private static final String FILTER = "(&(" + org.osgi.framework.Constants.OBJECTCLASS + "=" + Device.class.getName()
            + ")(|(" + Device.SERVICE_TYPE + "=" + DeviceType.NAMESPACE_IO.devtype() + ")(" + Device.SERVICE_TYPE + "="
            + DeviceType.NAMESPACE_PMEM.devtype() + ")))";

    private final BundleContext context;
    private final ServiceListener withdrawals = this::serviceChanged;

    @Activate
    public NamespaceComponent(@Reference(name = "lockdep") Lockdep lockdep, @Reference(name = "core") DeviceCore core,
            @Reference(name = "labels") RegionLabelReader reader, BundleContext context) {
        super(lockdep, core, reader, osgiPublisher(context));
        this.context = context;
        try {
            context.addServiceListener(withdrawals, FILTER);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(FILTER, e);
        }
    }

    private static DiskPublisher osgiPublisher(BundleContext context) {
        return (disk, properties) -> {
            ServiceRegistration<BlockDevice> r = context.registerService(BlockDevice.class, disk,
                    new Hashtable<>(properties));
            return () -> {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework withdrew it when this bundle stopped
                }
            };
        };
    }

    private void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            Object dev = event.getServiceReference().getProperty(Device.SERVICE_DEV);
            if (dev instanceof String name) {
                deviceWithdrawn(name);
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(withdrawals);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModeProvider(ModeProvider provider) {
        addModeProvider(provider);
    }

    void unbindModeProvider(ModeProvider provider) {
        removeModeProvider(provider);
    }

    // ------------------------------------------------------------------ Driver (nd_pmem)

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public boolean match(Device device) {
        return driver.match(device);
    }

    @Override
    public void probe(Device device) {
        driver.probe(device);
    }

    @Override
    public void remove(Device device) {
        driver.remove(device);
    }

    @Override
    public Map<Class<?>, Object> services(Device device) {
        return driver.services(device);
    }
}
