package nvdimm.bus.internal.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceEvents;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.BusProvider;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepException;
import nvdimm.lockdep.WaitPoint;

/**
 * The device core, without OSGi (the DS component {@code BusCore} adapts it): the entry points, child
 * registration, device locks and shutdown. The work is done by one class per concern, after Linux's
 * files:
 * <ul>
 * <li>{@link DeviceNames}: the name table and id pools;</li>
 * <li>{@link Probing}: drivers, probing and binding, unbinding ({@code dd.c}, {@code nvdimm_bus_probe});</li>
 * <li>{@link Publication}: services of bound devices;</li>
 * <li>{@link Teardown}: unregistration with kill-once semantics ({@code nd_device_unregister});</li>
 * <li>{@link BusLifecycle}: buses coming and going with their providers ({@code nvdimm_bus_register});</li>
 * <li>{@link CommandPath}: the command (ioctl) path ({@code nd_ioctl});</li>
 * <li>{@link EventOutbox}: device events (uevents).</li>
 * </ul>
 */
public class CoreImpl implements DeviceCore, AutoCloseable {
    static final System.Logger LOG = System.getLogger("nvdimm.bus");

    final Lockdep lockdep;
    final Publisher publisher;
    final CoreConfig config;
    final EventOutbox outbox;
    final DeviceNames names;

    final WaitPoint probeIdle;
    final WaitPoint commandIdle;

    /** Runs asynchronous probes; bounded to {@link CoreConfig#probeThreads()}. */
    final ThreadPoolExecutor probeExecutor;
    /** Runs ND_ASYNC teardowns; bounded to {@link CoreConfig#teardownThreads()}, apart from the probes. */
    final ThreadPoolExecutor teardownExecutor;

    final Probing probing;
    final Publication publication;
    final Teardown teardown;
    final BusLifecycle busLifecycle;
    final CommandPath commands;

    public CoreImpl(Lockdep lockdep, Publisher publisher, CoreConfig config) {
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.config = Objects.requireNonNull(config, "config");
        LockClasses.register(lockdep);
        this.outbox = new EventOutbox(lockdep, publisher);
        this.names = new DeviceNames(lockdep);
        this.probeIdle = lockdep.newWaitPoint(LockClasses.PROBE_IDLE);
        this.commandIdle = lockdep.newWaitPoint(LockClasses.COMMAND_IDLE);
        this.probeExecutor = executor("nvdimm-probe-", config.probeThreads());
        this.teardownExecutor = executor("nvdimm-teardown-", config.teardownThreads());
        this.probing = new Probing(this);
        this.publication = new Publication(this);
        this.teardown = new Teardown(this);
        this.busLifecycle = new BusLifecycle(this);
        this.commands = new CommandPath(this);
    }

    /** A fixed number of named daemon threads over an unbounded queue. */
    private static ThreadPoolExecutor executor(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------ lookups

    @Override
    public Optional<Device> find(String name) {
        return Optional.ofNullable(names.find(name));
    }

    @Override
    public <T extends Device> Optional<T> find(String name, Class<T> type) {
        return find(name).filter(type::isInstance).map(type::cast);
    }

    @Override
    public List<Device> devices() {
        return List.copyOf(names.snapshot());
    }

    @Override
    public List<NvdimmBus> buses() {
        return busLifecycle.buses();
    }

    // ------------------------------------------------------------------ providers and drivers

    /**
     * Brings a provider's bus up on the calling thread: registers {@code ndbusN}, binds it (listing it
     * and registering its DIMMs and regions) and publishes it; the children's probes run asynchronously.
     *
     * @throws NvdimmException EINVAL for inconsistent descriptions, EEXIST for a provider name in use;
     *     nothing stays registered then
     */
    public NvdimmBus addProvider(BusProvider provider) {
        return busLifecycle.addProvider(provider);
    }

    /** Takes a provider's bus down (children first, after draining its commands); no-op if unknown. */
    public void removeProvider(BusProvider provider) {
        busLifecycle.removeProvider(provider);
    }

    /** A driver arrived: every unbound device is offered to it (asynchronously). */
    public void addDriver(Driver driver) {
        probing.addDriver(driver);
    }

    /**
     * A driver leaves: every device bound to it is unbound (children first) before this returns, then
     * offered to the remaining drivers.
     */
    public void removeDriver(Driver driver) {
        probing.removeDriver(driver);
    }

    /** The bus driver's probe: the DIMMs, then the regions (which refer to them). Bus lock held. */
    void registerBusChildren(BusImpl bus) {
        busLifecycle.registerBusChildren(bus);
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
        RegionDeviceImpl region = parent.regionImpl();
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
            child = names.locked(t -> {
                String n = name == null ? t.freeName(type, region) : DeviceNames.checkName(type, region, name);
                if (t.contains(n)) {
                    throw new NvdimmException(Errno.EEXIST, n + ": a device with this name is registered");
                }
                DeviceImpl c = new DeviceImpl(this, n, type, parent);
                t.add(c);
                return c;
            });
            parent.children.add(child);
            outbox.add(DeviceEvents.ADD, child.eventProperties(null));
        } finally {
            if (locked) {
                parent.lock.unlock();
            }
        }
        outbox.drain();
        probing.scheduleProbe(child);
        return child;
    }

    // ------------------------------------------------------------------ binding

    @Override
    public void enable(Device device) {
        DeviceImpl dev = own(device);
        lockdep.mightSleep();
        refuseUnderDeviceLock(dev.name + ": enable");
        // Inside a publication (a listener attaching a child, as the BTT bundle does from a namespace's), the
        // probe gate may not be waited at: a reconfiguration holding the bus (destroy-namespace) may be waiting
        // for the very publication this thread is in. Then the child's queued probe binds it once the
        // reconfiguration lets go. Another thread's publication of the child has passed its gate, so waiting for
        // it is safe (a level below ours, see Publication).
        RuntimeException failure = probing.probeNow(dev, true, !Publication.publishingOnThisThread());
        if (failure != null) {
            throw failure;
        }
        publication.awaitPublishing(dev); // bound by a probe elsewhere: return once its services are there
    }

    @Override
    public void disable(Device device) {
        DeviceImpl dev = own(device);
        if (dev.type == DeviceType.BUS) {
            throw new NvdimmException(Errno.EOPNOTSUPP, dev.name + ": a bus cannot be disabled; it goes with its provider");
        }
        lockdep.mightSleep();
        refuseUnderDeviceLock(dev.name + ": disable");
        probing.unbind(dev, null, true);
    }

    @Override
    public void waitProbeIdle() {
        probing.waitIdle(Long.MAX_VALUE);
    }

    @Override
    public boolean waitProbeIdle(Duration timeout) {
        return probing.waitIdle(timeout.toNanos());
    }

    /** Probes queued or running now. */
    int probesInFlight() {
        return probing.probes.active();
    }

    // ------------------------------------------------------------------ unregistration

    @Override
    public void unregister(Device device) {
        DeviceImpl dev = own(device);
        refuseCoreOwned(dev);
        teardown.unregisterNow(dev);
    }

    @Override
    public CompletionStage<Void> unregisterAsync(Device device) {
        DeviceImpl dev = own(device);
        refuseCoreOwned(dev);
        return teardown.unregisterAsync(dev);
    }

    /** The kill-once decision ({@link DeviceImpl#kill()}); a test double overrides it to show what it prevents. */
    boolean kill(DeviceImpl dev) {
        return dev.kill();
    }

    // ------------------------------------------------------------------ publication and events

    void publish(DeviceImpl dev) {
        publication.publish(dev);
    }

    void unpublish(DeviceImpl dev) {
        publication.unpublish(dev);
    }

    @Override
    public void notifyChange(Device device) {
        DeviceImpl dev = own(device);
        outbox.add(DeviceEvents.CHANGE, dev.eventProperties(null));
        outbox.drain();
    }

    // ------------------------------------------------------------------ commands

    /** The command path ({@link CommandPath}); a test double overrides it to show what it prevents. */
    <T> T command(DeviceImpl target, String what, Supplier<T> call) {
        return commands.run(target, what, call);
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

    static boolean lockUnlessHeld(DeviceImpl dev) {
        if (dev.lock.isHeldByCurrentThread()) {
            return false;
        }
        dev.lock.lock();
        return true;
    }

    /**
     * Where the core is about to wait or call into the framework: refused with EDEADLK, in every
     * validator mode and before anything blocks, when this thread holds a device lock (the core keeps
     * them itself; OFF mode tracks nothing): what it would wait for (a probe, a teardown, a command, a
     * publication) may need that lock, as in seed 001's ABBA. The validator's reports stay as the
     * diagnostic: "locks held" and, for a wait, the wait point's cycle; in THROW mode the first is the
     * cause.
     *
     * @param waitingOn the wait point of the wait refused, or null for a call out
     */
    void refuseUnderDeviceLock(String what, WaitPoint waitingOn) {
        if (DeviceLock.heldByCurrentThread() == 0) {
            return;
        }
        String message = what + ": refused while this thread holds the device lock of "
                + DeviceLock.heldDevices() + "; what it would wait for may need that lock";
        LockdepException report = null;
        try {
            lockdep.assertNoneHeld();
        } catch (LockdepException e) {
            report = e;
        }
        if (waitingOn != null) {
            try {
                waitingOn.beforeWait();
            } catch (LockdepException e) {
                if (report == null) {
                    report = e;
                } else {
                    report.addSuppressed(e);
                }
            }
        }
        throw report == null ? new NvdimmException(Errno.EDEADLK, message)
                : new NvdimmException(Errno.EDEADLK, message, report);
    }

    void refuseUnderDeviceLock(String what) {
        refuseUnderDeviceLock(what, null);
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

    static NvdimmException gone(DeviceImpl dev) {
        return new NvdimmException(Errno.ENXIO, dev.name + ": the device is being removed");
    }

    // ------------------------------------------------------------------ shutdown

    /** Takes every bus down (children first) and stops the probe and teardown threads. */
    @Override
    public void close() {
        List<BusImpl> buses = names.locked(DeviceNames::close);
        if (buses == null) {
            return;
        }
        probing.probes.close();
        for (BusImpl bus : buses) {
            try {
                teardown.unregisterNow(bus);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, bus.name + ": shutdown", e);
            }
        }
        probeExecutor.shutdown();
        teardownExecutor.shutdown();
        try {
            if (!probeExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.ERROR, "probe threads still busy after 10 s; abandoning their queue");
                for (Runnable r : probeExecutor.shutdownNow()) {
                    if (r instanceof Probing.ProbeTask p) {
                        p.abandon();
                    }
                }
            }
            // a queued teardown left behind is run by whoever needs it (see Teardown); none is lost
            if (!teardownExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.ERROR, "teardown threads still busy after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
