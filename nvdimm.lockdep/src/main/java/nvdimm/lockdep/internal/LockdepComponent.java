package nvdimm.lockdep.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The framework's one validator. It registers {@link Lockdep} itself, as a bundle-scoped service: each
 * bundle gets its own view, and when a bundle ungets the service (it stopped, or its last component using
 * the validator went away) the classes it registered are released. The mode comes from the
 * {@code nvdimm.lockdep} configuration. New reports are posted as {@value #TOPIC} events when an
 * EventAdmin is present.
 */
@Component(service = {}, immediate = true, configurationPid = LockdepComponent.PID)
// Registered by hand (a ServiceFactory), so the capability DS would generate is declared here.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=nvdimm.lockdep.Lockdep")
@Designate(ocd = LockdepComponent.Config.class)
public final class LockdepComponent {
    public static final String PID = "nvdimm.lockdep";
    public static final String TOPIC = "nvdimm/lockdep/REPORT";

    @ObjectClassDefinition(name = "nvdimm lock-order validator",
            description = "Lockdep for the nvdimm stack: what to do when a lock-order problem is found")
    public @interface Config {
        @AttributeDefinition(name = "Mode",
                description = "off: no checks; warn: log and post an event; throw: also throw from the"
                        + " offending call before it blocks",
                options = {@Option(label = "off", value = "off"), @Option(label = "warn", value = "warn"),
                        @Option(label = "throw", value = "throw")})
        String mode() default "warn";
    }

    /** Optional and dynamic: reports are still logged without it. Read once per report. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    private Lockdep validator;
    private ServiceRegistration<Lockdep> registration;

    @Activate
    void activate(BundleContext context, Config config) {
        validator = new Lockdep(LockdepMode.parse(config.mode()));
        validator.addListener(this::post);
        registration = context.registerService(Lockdep.class, new PerBundle(validator), properties());
    }

    @Modified
    void modified(Config config) {
        validator.setMode(LockdepMode.parse(config.mode()));
        registration.setProperties(properties());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        registration = null;
    }

    Lockdep validator() {
        return validator;
    }

    private Dictionary<String, Object> properties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("mode", validator.mode().name().toLowerCase(Locale.ROOT));
        return props;
    }

    /** Posts asynchronously: the reporting thread may hold locks, and handlers may take locks. */
    private void post(LockdepReport report) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(TOPIC, Map.of(
                    "kind", report.kind().name(),
                    "classes", report.lockNames().toArray(new String[0]),
                    "thread", report.thread(),
                    "summary", report.summary(),
                    "text", report.toString())));
        }
    }

    /** One view per bundle; the view's classes go when the bundle ungets it. */
    static final class PerBundle implements ServiceFactory<Lockdep> {
        private final Lockdep validator;

        PerBundle(Lockdep validator) {
            this.validator = validator;
        }

        @Override
        public Lockdep getService(Bundle bundle, ServiceRegistration<Lockdep> registration) {
            return validator.forOwner(bundle);
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<Lockdep> registration, Lockdep service) {
            validator.release(bundle);
        }
    }
}
