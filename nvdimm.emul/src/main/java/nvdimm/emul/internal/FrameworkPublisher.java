package nvdimm.emul.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import nvdimm.bus.spi.BusProvider;
import nvdimm.emul.EmulConfig;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers buses as {@link BusProvider} services with the provider name in
 * {@value EmulConfig#PROVIDER_PROPERTY} and the kind ({@code configured} or {@code image}) in
 * {@code nvdimm.emul.kind}.
 */
final class FrameworkPublisher implements Publisher {

    static final String KIND_PROPERTY = "nvdimm.emul.kind";

    private final BundleContext context;

    FrameworkPublisher(BundleContext context) {
        this.context = context;
    }

    @Override
    public Runnable publish(EmulBus bus, Directory.Kind kind) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EmulConfig.PROVIDER_PROPERTY, bus.name());
        props.put(KIND_PROPERTY, kind == Directory.Kind.IMAGE ? "image" : "configured");
        ServiceRegistration<BusProvider> registration = context.registerService(BusProvider.class, bus, props);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first, which unregistered it
            }
        };
    }
}
