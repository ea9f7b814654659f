package nvdimm.bus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.LockdepReport;
import nvdimm.lockdep.Mutex;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The DS component, driven by hand with stand-ins for the framework, SCR and Event Admin; also the
 * last scenario of the 2019 series: no validated lock is held when control returns to the framework.
 */
class BusCoreTest {
    record Registration(List<String> classes, Object service, Dictionary<String, ?> properties) {
        String dev() {
            return (String) properties.get(Device.SERVICE_DEV);
        }
    }

    private final Lockdep lockdep = new Lockdep(LockdepMode.THROW, r -> { });
    private final List<Registration> registered = new CopyOnWriteArrayList<>();
    private final List<String> unregistered = new CopyOnWriteArrayList<>();
    private final List<FakeProvider> providers = new ArrayList<>();
    private BusCore component;

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(BusCoreTest.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @SuppressWarnings("unchecked")
    private BundleContext context() {
        return stub(BundleContext.class, (proxy, m, a) -> {
            if (m.getName().equals("registerService") && a[0] instanceof String[] classes) {
                Registration r = new Registration(List.of(classes), a[1], (Dictionary<String, ?>) a[2]);
                registered.add(r);
                return stub(ServiceRegistration.class, (p, rm, ra) -> {
                    if (rm.getName().equals("unregister")) {
                        unregistered.add(r.dev());
                        registered.remove(r);
                        return null;
                    }
                    throw new UnsupportedOperationException(rm.getName());
                });
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static BusCore.Config config(int threads, long drainMs) {
        return stub(BusCore.Config.class, (p, m, a) -> switch (m.getName()) {
            case "probe_threads" -> threads;
            case "teardown_threads" -> 2;
            case "drain_timeout_ms" -> drainMs;
            case "annotationType" -> BusCore.Config.class;
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    private static EventAdmin eventAdmin(List<Event> posted) {
        return stub(EventAdmin.class, (p, m, a) -> {
            switch (m.getName()) {
                case "postEvent" -> posted.add((Event) a[0]);
                case "sendEvent" -> throw new AssertionError("events must be posted, not sent");
                case "hashCode" -> {
                    return System.identityHashCode(p);
                }
                case "equals" -> {
                    return p == a[0];
                }
                default -> throw new UnsupportedOperationException(m.getName());
            }
            return null;
        });
    }

    private BusCore activate() {
        component = new BusCore(lockdep, context(), config(2, 5_000));
        return component;
    }

    private FakeProvider provider(String name, int dimms) {
        FakeProvider p = FakeProvider.of(name, dimms);
        providers.add(p);
        return p;
    }

    @AfterEach
    void tearDown() {
        if (component != null) {
            component.deactivate();
        }
        providers.forEach(FakeProvider::close);
    }

    private Optional<Registration> registration(String dev) {
        return registered.stream().filter(r -> dev.equals(r.dev())).findFirst();
    }

    @Test
    void aBoundProviderBecomesABusWhoseBoundDevicesAreServices() {
        List<Event> posted = new CopyOnWriteArrayList<>();
        BusCore core = activate();
        core.bindEventAdmin(eventAdmin(posted));
        core.bindProvider(provider("emul.0", 2));
        core.waitProbeIdle();
        Registration bus = registration("ndbus0").orElseThrow();
        assertEquals(List.of(Device.class.getName(), NvdimmBus.class.getName()), bus.classes());
        assertSame(core.find("ndbus0").orElseThrow(), bus.service());
        Registration nmem1 = registration("nmem1").orElseThrow();
        assertEquals(List.of(Device.class.getName(), Dimm.class.getName()), nmem1.classes());
        assertEquals("ndbus0", nmem1.properties().get(Device.SERVICE_BUS));
        assertEquals("nvdimm", nmem1.properties().get(Device.SERVICE_TYPE));
        assertEquals(Optional.empty(), registration("region0"));
        Event bind = posted.stream().filter(e -> e.getTopic().equals(DeviceEvents.BIND)
                && "nmem1".equals(e.getProperty(DeviceEvents.DEV))).findFirst().orElseThrow();
        assertEquals("nvdimm", bind.getProperty(DeviceEvents.TYPE));
        assertEquals("ndbus0", bind.getProperty(DeviceEvents.BUS));
        assertEquals("nvdimm", bind.getProperty(DeviceEvents.DRIVER));
        assertEquals(List.of("ndbus0", "nmem0", "nmem1", "region0"),
                core.devices().stream().map(Device::name).toList());
        assertEquals(List.of(core.find("ndbus0").orElseThrow()), core.buses());
        assertEquals(Optional.empty(), core.find("nmem0", NvdimmBus.class));
        assertEquals(List.of(), lockdep.reports());
    }

    @Test
    void anUnboundProviderTakesItsBusDownServicesFirst() {
        List<Event> posted = new CopyOnWriteArrayList<>();
        BusCore core = activate();
        core.bindEventAdmin(eventAdmin(posted));
        FakeProvider p = provider("emul.0", 1);
        core.bindProvider(p);
        core.waitProbeIdle();
        core.unbindProvider(p);
        assertEquals(List.of(), registered);
        assertEquals(List.of("ndbus0", "nmem0"), unregistered);
        assertEquals(List.of(), core.devices());
        List<String> removes = posted.stream().filter(e -> e.getTopic().equals(DeviceEvents.REMOVE))
                .map(e -> (String) e.getProperty(DeviceEvents.DEV)).toList();
        assertEquals(List.of("nmem0", "region0", "ndbus0"), removes);
        assertEquals(List.of(), lockdep.reports());
    }

    @Test
    void driversAreServicesBoundAndUnboundDynamically() {
        BusCore core = activate();
        core.bindProvider(provider("emul.0", 1));
        FakeDriver regions = new FakeDriver("nd_region", DeviceType.REGION);
        regions.onProbe = region -> core.register(region, DeviceType.NAMESPACE_IO);
        core.bindDriver(regions);
        core.waitProbeIdle();
        assertTrue(core.find("region0").orElseThrow().isEnabled());
        assertTrue(registration("region0").isPresent());
        Device ns = core.find("namespace0.0").orElseThrow();
        try (DeviceCore.Locked held = core.lock(ns)) {
            assertSame(ns, held.device());
        }
        core.notifyChange(ns);
        core.unbindDriver(regions);
        assertFalse(core.find("region0").orElseThrow().isEnabled());
        assertEquals(Optional.empty(), core.find("namespace0.0"));
        assertEquals(Optional.empty(), registration("region0"));
        core.enable(core.find("nmem0").orElseThrow());
        core.disable(core.find("nmem0").orElseThrow());
        assertEquals(Optional.empty(), registration("nmem0"));
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(5)));
        assertEquals(List.of(), regions.violations);
        assertEquals(List.of(), lockdep.reports());
    }

    @Test
    void aGreedyEventAdminReplacementIsBoundBeforeTheOldOneIsUnbound() {
        List<Event> first = new CopyOnWriteArrayList<>();
        List<Event> second = new CopyOnWriteArrayList<>();
        BusCore core = activate();
        EventAdmin one = eventAdmin(first);
        EventAdmin two = eventAdmin(second);
        core.bindEventAdmin(one);
        core.bindEventAdmin(two); // SCR binds the better one first...
        core.unbindEventAdmin(one); // ...then unbinds the old one: the new one must stay
        core.bindProvider(provider("emul.0", 1));
        core.waitProbeIdle();
        assertEquals(List.of(), first);
        assertFalse(second.isEmpty());
        core.unbindEventAdmin(two);
        int seen = second.size();
        core.notifyChange(core.find("nmem0").orElseThrow()); // no Event Admin: nothing posted, nothing fails
        assertEquals(seen, second.size());
    }

    @Test
    void deactivationTakesEveryBusDown() {
        BusCore core = activate();
        core.bindProvider(provider("emul.0", 1));
        core.bindProvider(provider("emul.1", 2));
        core.waitProbeIdle();
        core.deactivate();
        component = null;
        assertEquals(List.of(), registered);
        assertEquals(List.of(), core.devices());
        core.unbindProvider(providers.get(0)); // SCR unbinds after deactivate: nothing left to do
        assertEquals(List.of(), lockdep.reports());
    }

    @Test
    void everyEntryPointReturnsToTheFrameworkWithNoLockHeld() {
        BusCore core = activate();
        FakeProvider p = provider("emul.0", 2);
        FakeDriver regions = new FakeDriver("nd_region", DeviceType.REGION);
        EventAdmin admin = eventAdmin(new ArrayList<>());
        core.bindEventAdmin(admin);
        core.bindProvider(p);
        core.bindDriver(regions);
        core.waitProbeIdle();
        core.unbindDriver(regions);
        core.unbindProvider(p);
        core.unbindEventAdmin(admin);
        assertEquals(List.of(), lockdep.heldLocks());
        assertEquals(List.of(), lockdep.reports());
    }

    @Test
    void negativeControlADriverThatLeaksALockIsCaughtWhenControlReturnsToTheFramework() {
        LockClass leaky = LockClass.of("nd_region.leaky");
        lockdep.register(leaky);
        Mutex leaked = lockdep.newMutex(leaky);
        BusCore core = activate();
        core.bindProvider(provider("emul.0", 1));
        FakeDriver regions = new FakeDriver("nd_region", DeviceType.REGION);
        regions.onRemove = region -> leaked.lock(); // an error path that forgets to unlock
        core.bindDriver(regions);
        core.waitProbeIdle();
        LockdepException e = assertThrows(LockdepException.class, () -> core.unbindDriver(regions));
        assertEquals(LockdepReport.Kind.LOCKS_HELD, e.report().kind());
        assertEquals(List.of("nd_region.leaky"), e.report().lockNames());
        leaked.unlock();
        assertEquals(Collections.emptyList(), lockdep.heldLocks());
    }

    @Test
    void everyEntryPointChecksOnItsWayOutThatNoLockIsLeftHeld() {
        LockClass stray = LockClass.of("test.stray");
        lockdep.register(stray);
        Mutex leaked = lockdep.newMutex(stray);
        BusCore core = activate();
        FakeProvider p = provider("emul.0", 1);
        FakeDriver regions = new FakeDriver("nd_region", DeviceType.REGION);
        List<Runnable> entryPoints = List.of(() -> core.bindProvider(p), () -> core.bindDriver(regions),
                () -> core.unbindDriver(regions), () -> core.unbindProvider(p), core::deactivate);
        for (Runnable entry : entryPoints) {
            leaked.lock(); // as if the method (or what it called) had leaked it
            try {
                LockdepException e = assertThrows(LockdepException.class, entry::run);
                assertEquals(LockdepReport.Kind.LOCKS_HELD, e.report().kind());
                assertEquals(List.of("test.stray"), e.report().lockNames());
            } finally {
                leaked.unlock();
            }
        }
        component = null;
    }

    @Test
    void theServiceDelegatesToTheCore() throws Exception {
        BusCore core = activate();
        core.bindProvider(provider("emul.0", 1));
        FakeDriver regions = new FakeDriver("nd_region", DeviceType.REGION);
        core.bindDriver(regions);
        assertTrue(core.waitProbeIdle(Duration.ofSeconds(10)));
        Device region = core.find("region0", nvdimm.bus.RegionDevice.class).orElseThrow();
        Device ns = core.register(region, DeviceType.NAMESPACE_IO, "namespace0.3");
        assertSame(ns, core.find("namespace0.3").orElseThrow());
        core.unregister(ns);
        assertEquals(Optional.empty(), core.find("namespace0.3"));
        Device other = core.register(region, DeviceType.NAMESPACE_IO);
        core.unregisterAsync(other).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Optional.empty(), core.find(other.name()));
        core.disable(region);
        core.enable(region);
        assertTrue(region.isEnabled());
        List<Event> posted = new CopyOnWriteArrayList<>();
        core.bindEventAdmin(eventAdmin(posted));
        core.notifyChange(region);
        assertEquals(DeviceEvents.CHANGE, posted.get(0).getTopic());
        assertEquals(List.of(), lockdep.reports());
    }

    @Test
    void anEventAdminFailureLosesThatEventOnly() {
        List<Event> posted = new CopyOnWriteArrayList<>();
        EventAdmin flaky = stub(EventAdmin.class, (p, m, a) -> {
            Event e = (Event) a[0];
            if (e.getTopic().equals(DeviceEvents.ADD) && "ndbus0".equals(e.getProperty(DeviceEvents.DEV))) {
                throw new IllegalStateException("event admin is stopping");
            }
            posted.add(e);
            return null;
        });
        BusCore core = activate();
        core.bindEventAdmin(flaky);
        core.bindProvider(provider("emul.0", 1));
        core.waitProbeIdle();
        assertTrue(posted.stream().anyMatch(e -> e.getTopic().equals(DeviceEvents.BIND)
                && "ndbus0".equals(e.getProperty(DeviceEvents.DEV))));
    }
}
