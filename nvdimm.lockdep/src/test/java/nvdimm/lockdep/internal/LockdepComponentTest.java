package nvdimm.lockdep.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.Mutex;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The DS component, driven by hand with stand-ins for the framework. */
class LockdepComponentTest {
    private final List<Object> registered = new ArrayList<>();
    private final List<Dictionary<?, ?>> properties = new ArrayList<>();
    private boolean unregistered;

    @SuppressWarnings("unchecked")
    private <T> T stub(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
    }

    private BundleContext context() {
        ServiceRegistration<?> registration = stub(ServiceRegistration.class, (p, m, a) -> {
            switch (m.getName()) {
                case "setProperties" -> properties.add((Dictionary<?, ?>) a[0]);
                case "unregister" -> unregistered = true;
                default -> throw new UnsupportedOperationException(m.getName());
            }
            return null;
        });
        return stub(BundleContext.class, (p, m, a) -> {
            if (m.getName().equals("registerService") && a[0] == Lockdep.class) {
                registered.add(a[1]);
                properties.add((Dictionary<?, ?>) a[2]);
                return registration;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private LockdepComponent.Config config(String mode) {
        return stub(LockdepComponent.Config.class, (p, m, a) -> switch (m.getName()) {
            case "mode" -> mode;
            case "annotationType" -> LockdepComponent.Config.class;
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    private Bundle bundle(long id) {
        return stub(Bundle.class, (p, m, a) -> switch (m.getName()) {
            case "getBundleId" -> id;
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            case "toString" -> "bundle " + id;
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void registersABundleScopedValidatorAndReleasesABundlesClassesWhenItUngets() {
        LockdepComponent component = new LockdepComponent();
        component.activate(context(), config("throw"));
        assertEquals("throw", properties.get(0).get("mode"));
        ServiceFactory<Lockdep> factory = (ServiceFactory<Lockdep>) registered.get(0);

        Bundle bus = bundle(7);
        Bundle region = bundle(8);
        Lockdep busView = factory.getService(bus, null);
        Lockdep regionView = factory.getService(region, null);
        assertNotSame(busView, regionView);
        LockClass busLock = LockClass.of("nvdimm_bus.reconfig_mutex");
        LockClass regionLock = LockClass.of("nd_region.device_lock");
        busView.register(busLock);
        regionView.register(regionLock);
        Mutex a = busView.newMutex(busLock);
        Mutex b = regionView.newMutex(regionLock);
        a.lock();
        b.lock();
        b.unlock();
        a.unlock();
        assertEquals(2, component.validator().status().classes());
        assertEquals(1, component.validator().status().edges());

        factory.ungetService(region, null, regionView);
        assertEquals(1, component.validator().status().classes());
        assertEquals(0, component.validator().status().edges());
        assertTrue(busView.isRegistered(busLock));
        assertFalse(busView.isRegistered(regionLock));

        component.modified(config("off"));
        assertEquals(LockdepMode.OFF, busView.mode());
        assertEquals("off", properties.get(1).get("mode"));
        component.deactivate();
        assertTrue(unregistered);
    }

    @Test
    @SuppressWarnings("unchecked")
    void postsEachNewReportAsAnEventWhenEventAdminIsThere() {
        List<Event> posted = new ArrayList<>();
        LockdepComponent component = new LockdepComponent();
        component.activate(context(), config("warn"));
        Lockdep view = ((ServiceFactory<Lockdep>) registered.get(0)).getService(bundle(1), null);
        LockClass c = LockClass.of("test.c");
        view.register(c);
        Mutex m = view.newMutex(c);
        m.lock();
        m.lock(); // recursion, reported while no EventAdmin is bound
        m.unlock();
        m.unlock();
        assertEquals(List.of(), posted);

        component.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                throw new AssertionError("events must be posted asynchronously");
            }
        };
        view.assertNoneHeld();
        m.lock();
        for (int i = 0; i < 2; i++) {
            view.assertNoneHeld(); // the second time it is the same report: no second event
        }
        m.unlock();
        assertEquals(1, posted.size());
        Event e = posted.get(0);
        assertEquals(LockdepComponent.TOPIC, e.getTopic());
        assertEquals("LOCKS_HELD", e.getProperty("kind"));
        assertArrayEquals(new String[] {"test.c"}, (String[]) e.getProperty("classes"));
        assertTrue(((String) e.getProperty("text")).contains("lock held when returning to the framework"));
    }

    @Test
    void rejectsAnUnknownMode() {
        LockdepComponent component = new LockdepComponent();
        assertThrows(IllegalArgumentException.class, () -> component.activate(context(), config("shout")));
        assertThrows(LockdepException.class, () -> {
            Lockdep l = new Lockdep(LockdepMode.THROW, r -> { });
            l.assertHeld(l.newShadowLock(LockClass.of("x")));
        });
    }
}
