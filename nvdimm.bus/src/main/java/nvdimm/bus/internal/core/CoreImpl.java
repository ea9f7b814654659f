package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Dimm;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.bus.spi.CommandHandler;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.lockdep.WaitPoint;

/**
 * The device core, without OSGi: the device tree, drivers, probing, ordered unregistration with
 * kill-once semantics, buses and their command path. The DS component {@code BusCore} adapts it.
 *
 * <h2>Probe</h2>
 * A device is offered to the drivers when it is registered and when a driver arrives. Its probe is
 * queued on the core's executor (one queued probe per device at a time) and counted until it has
 * finished, published included; {@link #waitProbeIdle()} waits for that count to reach zero. A probe
 * runs as work of the wait point {@code nd_bus.probe_idle}, so "hold X, wait for probes" against
 * "a probe takes X" is a cycle the validator reports even if the two never overlap. The device lock is
 * held around the driver's probe only; publishing and events happen after it is released.
 *
 * <h2>Unregister</h2>
 * Whoever {@linkplain DeviceImpl#kill() kills} the device under its lock (once) creates its teardown;
 * the teardown runs once ({@link FutureTask}), on the winner's thread (sync), on the executor (async),
 * or on the thread of anyone who needs it done before it started (a loser of a sync unregister, a
 * parent's teardown), so no one waits for a teardown stuck in a queue. The teardown is work of the
 * wait point for its device's lock level: unpublish, (a bus: unlist, close and drain its commands),
 * children (each killed once and torn down, or waited for), unbind the driver under the device lock,
 * forget the device.
 *
 * <h2>Commands</h2>
 * A command pins its bus with the bus's active count (no list lock is held across it), runs as work of
 * {@code nd_bus.command_idle}, uses buffers of its own, and passes the provider's errors through.
 */
public class CoreImpl implements DeviceCore, AutoCloseable {
    static final System.Logger LOG = System.getLogger("nvdimm.bus");

    static final Object UNPUBLISHED = new Marker("unpublished");
    static final Object PUBLISHING = new Marker("publishing");
    static final Object REVOKED = new Marker("revoked");

    /** Probes running on this thread (async probe task or enable()), to refuse a wait for itself. */
    private static final ThreadLocal<int[]> PROBING = ThreadLocal.withInitial(() -> new int[1]);

    final Lockdep lockdep;
    private final Publisher publisher;
    private final CoreConfig config;
    final EventOutbox outbox;

    /** Guards byName, the id pools, providers and closed. */
    private final Mutex devicesLock;
    private final Map<String, DeviceImpl> byName = new LinkedHashMap<>();
    private final IdPool busIds = new IdPool("bus");
    private final IdPool dimmIds = new IdPool("nmem");
    private final IdPool regionIds = new IdPool("region");
    private final Map<BusProvider, BusImpl> providers = new IdentityHashMap<>();
    private boolean closed;

    /** Linux's nvdimm_bus_list_mutex: guards busList, never held across a call out or a wait. */
    final Mutex busListLock;
    private final List<BusImpl> busList = new ArrayList<>();

    final WaitPoint probeIdle;
    final WaitPoint commandIdle;
    private final WaitPoint[] teardownPoints;
    private final ActiveCount probes;

    private final CopyOnWriteArrayList<Driver> drivers = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor executor;

    public CoreImpl(Lockdep lockdep, Publisher publisher, CoreConfig config) {
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.config = Objects.requireNonNull(config, "config");
        LockClasses.register(lockdep);
        this.outbox = new EventOutbox(publisher);
        this.devicesLock = lockdep.newMutex(LockClasses.DEVICES);
        this.busListLock = lockdep.newMutex(LockClasses.BUS_LIST);
        this.probeIdle = lockdep.newWaitPoint(LockClasses.PROBE_IDLE);
        this.commandIdle = lockdep.newWaitPoint(LockClasses.COMMAND_IDLE);
        this.teardownPoints = new WaitPoint[LockClasses.levels()];
        for (int i = 0; i < teardownPoints.length; i++) {
            LockClass c = LockClasses.teardown(i);
            teardownPoints[i] = c == null ? null : lockdep.newWaitPoint(c);
        }
        this.probes = new ActiveCount(lockdep, LockClasses.PROBE_COUNT);
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(config.probeThreads(), config.probeThreads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "nvdimm-probe-" + threads.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
        drivers.add(new BusDriver());
        drivers.add(new DimmDriver());
    }

    // ------------------------------------------------------------------ lookups

    @Override
    public Optional<Device> find(String name) {
        devicesLock.lock();
        try {
            return Optional.ofNullable(byName.get(name));
        } finally {
            devicesLock.unlock();
        }
    }

    @Override
    public <T extends Device> Optional<T> find(String name, Class<T> type) {
        return find(name).filter(type::isInstance).map(type::cast);
    }

    @Override
    public List<Device> devices() {
        return List.copyOf(snapshot());
    }

    private List<DeviceImpl> snapshot() {
        devicesLock.lock();
        try {
            return new ArrayList<>(byName.values());
        } finally {
            devicesLock.unlock();
        }
    }

    @Override
    public List<NvdimmBus> buses() {
        List<BusImpl> copy;
        busListLock.lock();
        try {
            copy = new ArrayList<>(busList);
        } finally {
            busListLock.unlock();
        }
        copy.sort(Comparator.comparingInt(b -> b.id));
        return List.copyOf(copy);
    }

    // ------------------------------------------------------------------ providers and buses

    /**
     * Brings a provider's bus up on the calling thread: registers {@code ndbusN}, binds it (listing it
     * and registering its DIMMs and regions) and publishes it; the children's probes run asynchronously.
     *
     * @throws NvdimmException EINVAL for inconsistent descriptions, EEXIST for a provider name in use;
     *     nothing stays registered then
     */
    public NvdimmBus addProvider(BusProvider provider) {
        Objects.requireNonNull(provider, "provider");
        lockdep.mightSleep();
        requireNoDeviceLock();
        String name = provider.name();
        List<DimmDescriptor> dimms = List.copyOf(provider.dimms());
        List<RegionDescriptor> regions = List.copyOf(provider.regions());
        CommandHandler handler = provider.commands();
        validate(name, dimms, regions, handler);
        BusImpl bus;
        devicesLock.lock();
        try {
            ensureOpen();
            BusImpl other = providers.get(provider);
            if (other != null) {
                throw new NvdimmException(Errno.EEXIST, "provider " + name + ": already bound as " + other.name);
            }
            bus = new BusImpl(this, busIds.allocate(), provider, name, dimms, regions, handler);
            byName.put(bus.name, bus);
            providers.put(provider, bus);
        } finally {
            devicesLock.unlock();
        }
        outbox.add(DeviceEvents.ADD, bus.eventProperties(null));
        RuntimeException failure = probeNow(bus, true);
        if (failure != null) {
            try {
                unregisterNow(bus);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        return bus;
    }

    private static void validate(String name, List<DimmDescriptor> dimms, List<RegionDescriptor> regions,
            CommandHandler handler) {
        if (name == null || name.isBlank()) {
            throw new NvdimmException(Errno.EINVAL, "provider: a provider needs a name");
        }
        if (handler == null) {
            throw new NvdimmException(Errno.EINVAL, "provider " + name + ": no command handler");
        }
        Set<Integer> handles = new HashSet<>();
        for (DimmDescriptor d : dimms) {
            if (!handles.add(d.handle())) {
                throw new NvdimmException(Errno.EINVAL, "provider " + name + ": two DIMMs with handle 0x"
                        + Integer.toHexString(d.handle()));
            }
        }
        for (int i = 0; i < regions.size(); i++) {
            Set<Integer> positions = new HashSet<>();
            for (Mapping m : regions.get(i).mappings()) {
                if (!handles.contains(m.dimmHandle())) {
                    throw new NvdimmException(Errno.EINVAL, "provider " + name + ": region " + i
                            + " maps unknown DIMM handle 0x" + Integer.toHexString(m.dimmHandle()));
                }
                if (!positions.add(m.position())) {
                    throw new NvdimmException(Errno.EINVAL, "provider " + name + ": region " + i
                            + " has two mappings at interleave position " + m.position());
                }
            }
        }
    }

    /** Takes a provider's bus down (children first, after draining its commands); no-op if unknown. */
    public void removeProvider(BusProvider provider) {
        lockdep.mightSleep();
        requireNoDeviceLock();
        BusImpl bus;
        devicesLock.lock();
        try {
            bus = providers.get(provider);
        } finally {
            devicesLock.unlock();
        }
        if (bus != null) {
            unregisterNow(bus);
        }
    }

    /** The bus driver's probe: lists the bus, refusing a second bus of the same provider name. */
    void linkBus(BusImpl bus) {
        busListLock.lock();
        try {
            for (BusImpl b : busList) {
                if (b.providerName.equals(bus.providerName)) {
                    throw new NvdimmException(Errno.EEXIST, "provider " + bus.providerName + ": already bound as "
                            + b.name);
                }
            }
            busList.add(bus);
        } finally {
            busListLock.unlock();
        }
    }

    void unlinkBus(BusImpl bus) {
        busListLock.lock();
        try {
            busList.remove(bus);
        } finally {
            busListLock.unlock();
        }
    }

    /** The bus driver's probe: the DIMMs, then the regions (which refer to them). Bus lock held. */
    void registerBusChildren(BusImpl bus) {
        for (DimmDescriptor d : bus.dimmDescriptors) {
            registerCoreChild(bus, () -> new DimmImpl(this, dimmIds.allocate(), bus, d));
        }
        for (RegionDescriptor r : bus.regionDescriptors) {
            List<Mapping> mappings = new ArrayList<>(r.mappings());
            mappings.sort(Comparator.comparingInt(Mapping::position));
            List<Dimm> dimms = new ArrayList<>();
            for (Mapping m : mappings) {
                dimms.add(bus.dimmByHandle(m.dimmHandle()));
            }
            registerCoreChild(bus, () -> new RegionImpl(this, regionIds.allocate(), bus, r, dimms));
        }
    }

    private void registerCoreChild(BusImpl bus, Supplier<DeviceImpl> make) {
        lockdep.assertHeld(bus.lock.mutex());
        DeviceImpl dev;
        devicesLock.lock();
        try {
            dev = make.get();
            byName.put(dev.name, dev);
        } finally {
            devicesLock.unlock();
        }
        bus.children.add(dev);
        outbox.add(DeviceEvents.ADD, dev.eventProperties(null));
        scheduleProbe(dev);
    }

    // ------------------------------------------------------------------ drivers

    /** A driver arrived: every unbound device is offered to it (asynchronously). */
    public void addDriver(Driver driver) {
        Objects.requireNonNull(driver, "driver");
        if (drivers.addIfAbsent(driver)) {
            for (DeviceImpl dev : snapshot()) {
                scheduleProbe(dev);
            }
        }
    }

    /**
     * A driver leaves: every device bound to it is unbound (children first) before this returns, then
     * offered to the remaining drivers.
     */
    public void removeDriver(Driver driver) {
        lockdep.mightSleep();
        requireNoDeviceLock();
        if (!drivers.remove(driver)) {
            return;
        }
        for (DeviceImpl dev : snapshot()) { // registration order: parents before children
            // Checked under each device lock: a probe that saw the driver listed binds before we look.
            if (unbind(dev, driver, false)) {
                scheduleProbe(dev);
            }
        }
    }

    // ------------------------------------------------------------------ registration

    @Override
    public Device register(Device parent, DeviceType type) {
        return registerChild(parent, type, null);
    }

    @Override
    public Device register(Device parent, DeviceType type, String name) {
        return registerChild(parent, type, Objects.requireNonNull(name, "name"));
    }

    private DeviceImpl registerChild(Device parentDevice, DeviceType type, String name) {
        DeviceImpl parent = own(parentDevice);
        Objects.requireNonNull(type, "type");
        if (type.coreOwned()) {
            throw new NvdimmException(Errno.EINVAL, parent.name + ": " + type.devtype()
                    + " devices are made by the core from provider descriptions, not by drivers");
        }
        boolean fits = switch (type) {
            case NAMESPACE_IO, NAMESPACE_PMEM -> parent.type == DeviceType.REGION;
            case BTT -> parent.type == DeviceType.REGION || parent.type == DeviceType.NAMESPACE_IO
                    || parent.type == DeviceType.NAMESPACE_PMEM;
            default -> false;
        };
        if (!fits) { // every allowed child sits at a deeper lock level than its parent
            throw new NvdimmException(Errno.EINVAL, parent.name + ": a " + parent.type.devtype()
                    + " cannot have a " + type.devtype() + " child");
        }
        RegionImpl region = parent.regionImpl();
        DeviceImpl child;
        boolean locked = lockUnlessHeld(parent);
        try {
            if (parent.isDead()) {
                throw new NvdimmException(Errno.ENXIO, parent.name + ": being removed; no child can be registered");
            }
            if (parent.unbinding > 0 || (parent.driver == null && parent.probing == null)) {
                throw new NvdimmException(Errno.ENXIO, parent.name
                        + ": not bound to a driver; children belong to a bound device");
            }
            devicesLock.lock();
            try {
                String n = name == null ? freeName(type, region) : checkName(type, region, name);
                if (byName.containsKey(n)) {
                    throw new NvdimmException(Errno.EEXIST, n + ": a device with this name is registered");
                }
                child = new DeviceImpl(this, n, type, parent);
                byName.put(n, child);
            } finally {
                devicesLock.unlock();
            }
            parent.children.add(child);
            outbox.add(DeviceEvents.ADD, child.eventProperties(null));
        } finally {
            if (locked) {
                parent.lock.unlock();
            }
        }
        outbox.drain();
        scheduleProbe(child);
        return child;
    }

    /** The lowest free {@code <prefix><region>.<n>}; devicesLock held. */
    private String freeName(DeviceType type, RegionImpl region) {
        String stem = type.namePrefix() + region.id + ".";
        for (int n = 0;; n++) {
            if (!byName.containsKey(stem + n)) {
                return stem + n;
            }
        }
    }

    private static String checkName(DeviceType type, RegionImpl region, String name) {
        String stem = type.namePrefix() + region.id + ".";
        if (name.startsWith(stem)) {
            String rest = name.substring(stem.length());
            try {
                int n = Integer.parseInt(rest);
                if (n >= 0 && rest.equals(Integer.toString(n))) {
                    return name;
                }
            } catch (NumberFormatException e) {
                // falls through to the refusal
            }
        }
        throw new NvdimmException(Errno.EINVAL, name + ": a " + type.devtype() + " of " + region.name
                + " must be named " + stem + "N");
    }

    // ------------------------------------------------------------------ probing

    /** Queues a probe of an unbound device, unless one is queued already. */
    void scheduleProbe(DeviceImpl dev) {
        if (dev.isDead() || dev.driver != null || dev.userDisabled) {
            return;
        }
        if (!dev.probeQueued.compareAndSet(false, true)) {
            return;
        }
        if (!probes.enter()) {
            dev.probeQueued.set(false);
            return;
        }
        ProbeTask task = new ProbeTask(dev);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.abandon();
        }
    }

    /** An asynchronous probe: counted from queueing until its device is published. */
    private final class ProbeTask implements Runnable {
        private final DeviceImpl dev;

        ProbeTask(DeviceImpl dev) {
            this.dev = dev;
        }

        @Override
        public void run() {
            PROBING.get()[0]++;
            try {
                dev.probeQueued.set(false);
                probeIdle.work(() -> {
                    RuntimeException failure = probeAndPublish(dev, false);
                    if (failure != null) {
                        LOG.log(Level.WARNING, dev.name + ": probe failed: " + failure.getMessage());
                    }
                    outbox.drain();
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, dev.name + ": probe failed", e);
            } finally {
                PROBING.get()[0]--;
                probes.exit();
            }
        }

        void abandon() {
            dev.probeQueued.set(false);
            probes.exit();
        }
    }

    /** A probe on this thread (enable, bus bring-up), counted and in the probe-idle work. */
    private RuntimeException probeNow(DeviceImpl dev, boolean explicit) {
        if (!probes.enter()) {
            return new NvdimmException(Errno.ENXIO, dev.name + ": the device core is shut down");
        }
        RuntimeException[] failure = new RuntimeException[1];
        PROBING.get()[0]++;
        try {
            probeIdle.work(() -> failure[0] = probeAndPublish(dev, explicit));
        } finally {
            PROBING.get()[0]--;
            probes.exit();
            outbox.drain();
        }
        return failure[0];
    }

    /** Binds a driver (if one takes the device) and publishes it; returns the failure, if any. */
    private RuntimeException probeAndPublish(DeviceImpl dev, boolean explicit) {
        NvdimmException rejected = null;
        for (Driver d : drivers) {
            if (!matches(d, dev)) {
                continue;
            }
            Outcome o = attempt(dev, d, explicit);
            switch (o.attempt()) {
                case BOUND -> {
                    publish(dev);
                    return null;
                }
                case SETTLED -> {
                    return null;
                }
                case GONE -> {
                    return explicit ? gone(dev) : null;
                }
                case SKIPPED -> {
                    continue;
                }
                default -> {
                    // FAILED or REJECTED: children of the failed probe go; then stop, or try the next driver.
                    for (DeviceImpl orphan : dev.children) {
                        removeChild(orphan);
                    }
                    if (o.attempt() == Attempt.FAILED) {
                        return o.failure();
                    }
                    rejected = (NvdimmException) o.failure();
                }
            }
        }
        if (!explicit) {
            return null;
        }
        return rejected != null ? rejected
                : new NvdimmException(Errno.ENODEV, dev.name + ": no driver takes a " + dev.type.devtype());
    }

    private static boolean matches(Driver d, DeviceImpl dev) {
        try {
            return d.match(dev);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "driver " + d.name() + ": match(" + dev.name + ") failed", e);
            return false;
        }
    }

    private enum Attempt {
        /** The driver is bound now. */
        BOUND,
        /** Nothing to do: bound already, or disabled on request. */
        SETTLED,
        /** The device is being removed. */
        GONE,
        /** The driver left meanwhile: try the next. */
        SKIPPED,
        /** The driver's probe failed. */
        FAILED,
        /** The driver refused the device (ENODEV, ENXIO): try the next. */
        REJECTED
    }

    private record Outcome(Attempt attempt, RuntimeException failure) {
        static final Outcome BOUND = new Outcome(Attempt.BOUND, null);
        static final Outcome SETTLED = new Outcome(Attempt.SETTLED, null);
        static final Outcome GONE = new Outcome(Attempt.GONE, null);
        static final Outcome SKIPPED = new Outcome(Attempt.SKIPPED, null);
    }

    /** One driver's probe of the device: the lock-free preparation, then the probe under the device lock. */
    private Outcome attempt(DeviceImpl dev, Driver d, boolean explicit) {
        Object prepared = null;
        RuntimeException failure = null;
        if (d instanceof PreparedDriver p) {
            if (dev.isDead() || dev.driver != null) {
                return dev.isDead() ? Outcome.GONE : Outcome.SETTLED;
            }
            try {
                prepared = p.prepare(dev);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        dev.lock.lock();
        try {
            if (dev.isDead()) {
                return Outcome.GONE;
            }
            if (dev.driver != null || (!explicit && dev.userDisabled)) {
                return Outcome.SETTLED;
            }
            if (!drivers.contains(d)) {
                return Outcome.SKIPPED;
            }
            if (explicit) {
                dev.userDisabled = false;
            }
            if (failure == null) {
                dev.probing = d;
                try {
                    if (d instanceof PreparedDriver p) {
                        p.probe(dev, prepared);
                    } else {
                        d.probe(dev);
                    }
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    dev.probing = null;
                }
            }
            if (failure == null) {
                dev.driver = d;
                dev.probeError = null;
                outbox.add(DeviceEvents.BIND, dev.eventProperties(d));
                return Outcome.BOUND;
            }
            dev.driverData = null;
            dev.probeError = failure instanceof NvdimmException ne ? ne
                    : new NvdimmException(Errno.EIO, dev.name + ": driver " + d.name() + " failed its probe: "
                            + failure, failure);
            boolean rejects = failure instanceof NvdimmException ne
                    && (ne.errno() == Errno.ENODEV || ne.errno() == Errno.ENXIO);
            return new Outcome(rejects ? Attempt.REJECTED : Attempt.FAILED, failure);
        } finally {
            dev.lock.unlock();
        }
    }

    @Override
    public void enable(Device device) {
        DeviceImpl dev = own(device);
        lockdep.mightSleep();
        requireNoDeviceLock();
        RuntimeException failure = probeNow(dev, true);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void disable(Device device) {
        DeviceImpl dev = own(device);
        if (dev.type == DeviceType.BUS) {
            throw new NvdimmException(Errno.EOPNOTSUPP, dev.name + ": a bus cannot be disabled; it goes with its provider");
        }
        lockdep.mightSleep();
        requireNoDeviceLock();
        unbind(dev, null, true);
    }

    /**
     * Unbinds the device's driver ({@code expected}, or any when null): the service goes, then the
     * children, then the driver's remove() under the device lock. True if this call unbound it.
     */
    private boolean unbind(DeviceImpl dev, Driver expected, boolean requested) {
        dev.lock.lock();
        try {
            if (dev.isDead()) {
                if (requested) {
                    throw gone(dev);
                }
                return false;
            }
            if (requested) {
                dev.userDisabled = true;
            }
            Driver d = dev.driver;
            if (d == null || (expected != null && d != expected)) {
                return false;
            }
            dev.unbinding++;
        } finally {
            dev.lock.unlock();
        }
        boolean unbound = false;
        try {
            unpublish(dev);
            for (DeviceImpl child : dev.children) {
                removeChild(child);
            }
        } finally {
            dev.lock.lock();
            try {
                dev.unbinding--;
                Driver d = dev.driver;
                if (d != null && (expected == null || d == expected)) {
                    unbound = true;
                    detach(dev, d);
                }
            } finally {
                dev.lock.unlock();
            }
            outbox.drain();
        }
        return unbound;
    }

    /** The driver's remove(), then the binding is cleared; device lock held. */
    private void detach(DeviceImpl dev, Driver d) {
        try {
            d.remove(dev);
        } finally {
            dev.driver = null;
            dev.driverData = null;
            outbox.add(DeviceEvents.UNBIND, dev.eventProperties(d));
        }
    }

    @Override
    public void waitProbeIdle() {
        waitIdle(Long.MAX_VALUE);
    }

    @Override
    public boolean waitProbeIdle(Duration timeout) {
        return waitIdle(timeout.toNanos());
    }

    private boolean waitIdle(long nanos) {
        lockdep.mightSleep();
        requireNoDeviceLock();
        probeIdle.beforeWait();
        if (PROBING.get()[0] > 0) {
            throw new NvdimmException(Errno.EBUSY, "waitProbeIdle(): called from inside a probe, it would wait for"
                    + " itself");
        }
        try {
            return probes.awaitZero(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NvdimmException(Errno.EINTR, "waitProbeIdle(): interrupted", e);
        }
    }

    /** Probes queued or running now. */
    int probesInFlight() {
        return probes.active();
    }

    // ------------------------------------------------------------------ unregistration

    @Override
    public void unregister(Device device) {
        DeviceImpl dev = own(device);
        refuseCoreOwned(dev);
        unregisterNow(dev);
    }

    /** ND_SYNC: kill under the lock, release it, then run the teardown or wait for whoever runs it. */
    void unregisterNow(DeviceImpl dev) {
        lockdep.mightSleep();
        requireNoDeviceLock();
        FutureTask<Void> mine = claim(dev);
        runOrAwait(dev, mine, true);
    }

    @Override
    public CompletionStage<Void> unregisterAsync(Device device) {
        DeviceImpl dev = own(device);
        refuseCoreOwned(dev);
        FutureTask<Void> mine = claim(dev);
        if (mine != null) {
            try {
                executor.execute(mine);
            } catch (RejectedExecutionException e) {
                Thread t = new Thread(mine, "nvdimm-unregister-" + dev.name);
                t.setDaemon(true);
                t.start();
            }
        }
        return dev.removed.minimalCompletionStage();
    }

    /**
     * Kills the device under its lock (taken unless this thread holds it already, as an ND_ASYNC caller
     * does). The one caller that kills it gets the teardown to run; everyone else gets null.
     */
    private FutureTask<Void> claim(DeviceImpl dev) {
        boolean locked = lockUnlessHeld(dev);
        try {
            if (!kill(dev)) {
                return null;
            }
            FutureTask<Void> task = new FutureTask<>(() -> {
                teardown(dev);
                return null;
            });
            dev.teardown = task;
            return task;
        } finally {
            if (locked) {
                dev.lock.unlock();
            }
        }
    }

    /** The kill-once decision ({@link DeviceImpl#kill()}); a test double overrides it to show what it prevents. */
    boolean kill(DeviceImpl dev) {
        return dev.kill();
    }

    /**
     * Runs {@code mine}, or helps with or waits for the teardown someone else owns. A call from inside
     * that teardown (its own thread) returns at once: waiting would be waiting for itself.
     */
    private void runOrAwait(DeviceImpl dev, FutureTask<Void> mine, boolean rethrow) {
        FutureTask<Void> task = mine;
        if (task == null) {
            if (dev.teardownThread == Thread.currentThread()) {
                return;
            }
            task = dev.teardown;
            task.run(); // runs it here if its owner has not started it yet
            if (!task.isDone()) {
                teardownPoint(dev).beforeWait();
            }
        } else {
            task.run();
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (rethrow) {
                        rethrow(e.getCause());
                    }
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Throws what a teardown threw: it only lets runtime exceptions and errors out. */
    private static void rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) t;
    }

    private void removeChild(DeviceImpl child) {
        runOrAwait(child, claim(child), false);
    }

    private WaitPoint teardownPoint(DeviceImpl dev) {
        return teardownPoints[dev.type.lockLevel()];
    }

    /** Runs once per device, on whichever thread runs its FutureTask. Every step runs; the first failure is rethrown. */
    private void teardown(DeviceImpl dev) {
        dev.teardownThread = Thread.currentThread();
        List<RuntimeException> failures = new ArrayList<>();
        try {
            teardownPoint(dev).work(() -> {
                step(failures, () -> unpublish(dev));
                if (dev instanceof BusImpl bus) {
                    step(failures, () -> quiesce(bus));
                }
                for (DeviceImpl child : dev.children) {
                    step(failures, () -> removeChild(child));
                }
                step(failures, () -> unbindDead(dev));
                step(failures, () -> forget(dev));
            });
        } catch (RuntimeException e) {
            failures.add(e);
        } finally {
            dev.teardownThread = null;
            outbox.drain(); // REMOVE and UNBIND leave before anyone waiting for the removal goes on
            dev.removed.complete(null);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) {
                first.addSuppressed(failures.get(i));
            }
            LOG.log(Level.ERROR, dev.name + ": teardown: " + first.getMessage(), first);
            throw first;
        }
    }

    private static void step(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** A bus going away: off the list, no new commands, and the ones in flight drained (bounded). */
    private void quiesce(BusImpl bus) {
        unlinkBus(bus);
        bus.commands.close();
        commandIdle.beforeWait();
        if (!bus.commands.awaitZeroUninterruptibly(config.drainTimeout().toNanos())) {
            throw new NvdimmException(Errno.ETIMEDOUT, bus.name + ": " + bus.commands.active()
                    + " commands still in flight after " + config.drainTimeout().toMillis()
                    + " ms; the bus is taken down without them");
        }
    }

    private void unbindDead(DeviceImpl dev) {
        dev.lock.lock();
        try {
            Driver d = dev.driver;
            if (d != null) {
                detach(dev, d);
            }
        } finally {
            dev.lock.unlock();
        }
    }

    private void forget(DeviceImpl dev) {
        devicesLock.lock();
        try {
            byName.remove(dev.name, dev);
            if (dev instanceof BusImpl b) {
                providers.remove(b.provider, b);
                busIds.release(b.id);
            } else if (dev instanceof DimmImpl d) {
                dimmIds.release(d.id);
            } else if (dev instanceof RegionImpl r) {
                regionIds.release(r.id);
            }
        } finally {
            devicesLock.unlock();
        }
        if (dev.parent != null) {
            dev.parent.children.remove(dev);
        }
        outbox.add(DeviceEvents.REMOVE, dev.eventProperties(null));
    }

    // ------------------------------------------------------------------ publication and events

    /** Publishes a bound device, with no device lock held; a racing unpublish wins (see {@link #unpublish}). */
    void publish(DeviceImpl dev) {
        while (!dev.publication.compareAndSet(UNPUBLISHED, PUBLISHING)) {
            Object state = dev.publication.get();
            if (state == UNPUBLISHED) {
                continue; // withdrawn just now: try again
            }
            if (state != REVOKED) {
                return; // published, or being published, with the current binding
            }
            // An earlier binding's publication, revoked by the unbind that ended it, is still in flight:
            // its publisher publishes again once it has withdrawn (below), unless it finished meanwhile.
            dev.republish.set(true);
            if (dev.publication.get() == REVOKED || !dev.republish.compareAndSet(true, false)) {
                return;
            }
        }
        List<Publisher.Publication> done = new ArrayList<>();
        try {
            Driver d = dev.driver;
            if (!dev.isDead() && d != null && dev.unbinding == 0) {
                requireNoDeviceLock();
                Map<String, Object> props = dev.serviceProperties();
                done.add(publisher.publish(dev.serviceTypes(), dev, props));
                for (Map.Entry<Class<?>, Object> e : d.services(dev).entrySet()) {
                    done.add(publisher.publish(List.of(e.getKey()), e.getValue(), props));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, dev.name + ": publishing failed", e);
            withdraw(done);
            done.clear();
        } finally {
            Object result = done.isEmpty() ? UNPUBLISHED : List.copyOf(done);
            if (!dev.publication.compareAndSet(PUBLISHING, result)) {
                // Revoked while we were publishing: the unpublisher went on, we withdraw.
                withdraw(done);
                dev.publication.set(UNPUBLISHED);
                if (dev.republish.compareAndSet(true, false)) {
                    publish(dev); // a new binding tried to publish meanwhile and left it to us
                }
            }
        }
    }

    /**
     * Withdraws the device's services. If a publisher is registering them right now it is told to
     * withdraw them itself as soon as its registration returns; this call does not wait for it.
     */
    @SuppressWarnings("unchecked")
    void unpublish(DeviceImpl dev) {
        for (;;) {
            Object s = dev.publication.get();
            if (s == UNPUBLISHED || s == REVOKED) {
                return;
            }
            if (s == PUBLISHING) {
                if (dev.publication.compareAndSet(s, REVOKED)) {
                    return;
                }
            } else if (dev.publication.compareAndSet(s, UNPUBLISHED)) {
                requireNoDeviceLock();
                withdraw((List<Publisher.Publication>) s);
                return;
            }
        }
    }

    private static void withdraw(List<Publisher.Publication> publications) {
        for (Publisher.Publication p : publications.reversed()) {
            try {
                p.withdraw();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "withdrawing a service failed", e);
            }
        }
    }

    @Override
    public void notifyChange(Device device) {
        DeviceImpl dev = own(device);
        outbox.add(DeviceEvents.CHANGE, dev.eventProperties(null));
        outbox.drain();
    }

    // ------------------------------------------------------------------ commands

    /**
     * The command path: pins the target's bus with its active count (ENXIO once the bus is going away),
     * runs {@code call} as work of {@code nd_bus.command_idle}, unpins. No list lock, no device lock.
     */
    <T> T command(DeviceImpl target, String what, Supplier<T> call) {
        lockdep.mightSleep();
        requireNoDeviceLock();
        BusImpl bus = target.busImpl();
        if (target.isDead()) {
            throw new NvdimmException(Errno.ENXIO, target.name + ": " + what + ": the device is gone");
        }
        if (!bus.commands.enter()) {
            throw new NvdimmException(Errno.ENXIO, target.name + ": " + what + ": " + bus.name + " is going away");
        }
        try {
            commandIdle.beginWork();
            try {
                return call.get();
            } finally {
                commandIdle.endWork();
            }
        } finally {
            bus.commands.exit();
        }
    }

    /** A command's own staging buffer (patch 4: per call, never shared); a test double overrides it. */
    byte[] stagingBuffer(int length) {
        return new byte[length];
    }

    // ------------------------------------------------------------------ locks and checks

    @Override
    public Locked lock(Device device) {
        DeviceImpl dev = own(device);
        dev.lock.lock();
        return new Locked() {
            private boolean open = true;

            @Override
            public Device device() {
                return dev;
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    dev.lock.unlock();
                    outbox.drain(); // what was queued under the lock leaves now
                }
            }
        };
    }

    private static boolean lockUnlessHeld(DeviceImpl dev) {
        if (dev.lock.isHeldByCurrentThread()) {
            return false;
        }
        dev.lock.lock();
        return true;
    }

    /**
     * Where the core is about to wait or call out: a device lock held here is reported (the validator's
     * "lock held" report; THROW mode throws).
     */
    void requireNoDeviceLock() {
        if (DeviceLock.heldByCurrentThread() > 0) {
            lockdep.assertNoneHeld();
        }
    }

    private DeviceImpl own(Device device) {
        Objects.requireNonNull(device, "device");
        if (device instanceof DeviceImpl d && d.core == this) {
            return d;
        }
        throw new NvdimmException(Errno.EINVAL, device.name() + ": not a device of this core");
    }

    private static void refuseCoreOwned(DeviceImpl dev) {
        if (dev.type.coreOwned()) {
            throw new NvdimmException(Errno.EOPNOTSUPP, dev.name + ": " + (dev.type == DeviceType.BUS
                    ? "a bus goes away with its provider" : "DIMMs and regions go away with their bus"));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new NvdimmException(Errno.ENXIO, "the device core is shut down");
        }
    }

    private static NvdimmException gone(DeviceImpl dev) {
        return new NvdimmException(Errno.ENXIO, dev.name + ": the device is being removed");
    }

    // ------------------------------------------------------------------ shutdown

    /** Takes every bus down (children first) and stops the probe threads. */
    @Override
    public void close() {
        List<BusImpl> buses;
        devicesLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            buses = new ArrayList<>(providers.values());
        } finally {
            devicesLock.unlock();
        }
        probes.close();
        for (BusImpl bus : buses) {
            try {
                unregisterNow(bus);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, bus.name + ": shutdown", e);
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.ERROR, "probe threads still busy after 10 s; abandoning their queue");
                for (Runnable r : executor.shutdownNow()) {
                    if (r instanceof ProbeTask p) {
                        p.abandon();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Marker(String name) {
        @Override
        public String toString() {
            return name;
        }
    }
}
