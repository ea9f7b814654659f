package nvdimm.btt.internal.device;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import nvdimm.btt.BttDevice;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.format.BttProbe;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.SectorSizes;
import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.DeviceState;
import nvdimm.bus.DeviceType;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.namespace.BlockDevice;
import nvdimm.namespace.Claim;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.spi.ModeProvider;

/**
 * The BTT bundle without OSGi: sector mode for the namespace core ({@link ModeProvider}), the {@code nd_btt}
 * {@link Driver}, and the attachment of a BTT device to every namespace that carries one (Linux's
 * {@code nd_btt_probe} from the pmem driver's probe).
 *
 * <h2>Attachments</h2>
 * A namespace gets a BTT device ({@code bttR.N}, a child of the namespace device) at most once: an
 * {@link Attachment} is reserved per namespace before anything is done and lasts as long as its device is not
 * dead. The claim on the namespace is taken when attaching, outside every device lock (claiming withdraws the
 * raw disk, a framework call), and handed to the device's probe; the driver's remove releases it. Format
 * writes the BTT while it holds that claim, so no raw write interferes.
 *
 * <p>Nothing here holds a device lock while calling the framework, the core's waiting methods or bus commands:
 * attaching (claim, format, load with its recovery and clearing of bad free blocks) and erasing run from service
 * events or the namespace core's reconfiguration (its bus reconfiguration lock held, no device lock); probe and
 * remove run under the BTT device's lock and only take over and close what attaching prepared.
 */
public class BttDevices implements Driver, ModeProvider {
    private static final System.Logger LOG = System.getLogger("nvdimm.btt");
    /** What ndctl zeroes when it takes a namespace out of a mode ({@code zero_info_block}): the first 8 KiB. */
    static final int ERASE_BYTES = 8192;
    private static final int REGISTER_ATTEMPTS = 16;

    private final java.util.function.Supplier<DeviceCore> cores;
    private final Lockdep lockdep;
    private final ConcurrentHashMap<String, Attachment> byNamespace = new ConcurrentHashMap<>();
    /** Namespaces an offline check holds: no BTT device is attached to them meanwhile. */
    private final java.util.Set<String> checking = ConcurrentHashMap.newKeySet();
    /** Every BTT device registered here and not yet unregistered, for {@link #detachAll()}. */
    private final java.util.Set<Device> registered = ConcurrentHashMap.newKeySet();

    /** A namespace's BTT device, from reservation to removal. */
    static final class Attachment {
        final Namespace ns;
        volatile Claim claim;
        /** The BTT loaded for the device, until its probe takes it. */
        volatile Bound loaded;
        volatile Device device;

        Attachment(Namespace ns) {
            this.ns = ns;
        }

        boolean stale() {
            Device d = device;
            return d != null && d.state() == DeviceState.DEAD;
        }
    }

    /** What the driver keeps per bound device. */
    record Bound(Attachment attachment, NamespaceMedium medium, BttDisk disk) {
        void close() {
            disk.btt().close();
            medium.close();
        }
    }

    public BttDevices(DeviceCore core, Lockdep lockdep) {
        this(() -> core, lockdep);
    }

    /**
     * @param cores the device core when it is needed (attaching, erasing): the component looks it up then, since
     *     the core binds drivers as it starts and a driver that needs the core to be built would be a cycle
     */
    public BttDevices(java.util.function.Supplier<DeviceCore> cores, Lockdep lockdep) {
        this.cores = cores;
        this.lockdep = lockdep;
    }

    private DeviceCore core() {
        DeviceCore c = cores.get();
        if (c == null) {
            throw new NvdimmException(Errno.ENODEV, "nvdimm.btt: the device core is not running");
        }
        return c;
    }

    // ------------------------------------------------------------------ attaching

    /**
     * A namespace was published (enabled, restarted, attached): if Linux would find a BTT on it, a BTT device is
     * registered under it, unless it has one, and bound on this thread. Called with no lock held (from the
     * namespace service's registration); failures are logged, not thrown.
     */
    public void namespaceAdded(Namespace ns) {
        try {
            if (ns.isActive() && !checking.contains(ns.name()) && probe(ns).isPresent()) {
                Device d = attach(ns, null);
                if (d != null) {
                    bindNow(d);
                }
            }
        } catch (NvdimmException e) {
            LOG.log(Level.WARNING, ns.name() + ": no BTT attached: " + e.getMessage());
        }
    }

    /**
     * Binds the new device on this thread, so it has its block device by the time the namespace's enable returns.
     * While this driver is not yet bound to the core (the bundle is starting and its tracker saw the namespaces
     * first) no driver takes it: the core probes it when the driver arrives.
     */
    private void bindNow(Device d) {
        try {
            core().enable(d);
        } catch (NvdimmException e) {
            if (e.errno() != Errno.ENODEV || d.probeError().isPresent()) {
                throw e;
            }
            LOG.log(Level.DEBUG, d.name() + ": no driver bound yet; probed when nd_btt arrives");
        }
    }

    /** The BTT Linux would find on the namespace ({@code nd_btt_probe}'s check). */
    static Optional<BttProbe.Probed> probe(Namespace ns) {
        return BttProbe.probe(new NamespaceMedium(ns), 0, ns.size(), ns.claimClass(), ns.uuid());
    }

    /**
     * Reserves the namespace, claims it, runs {@code before} with the claim held (format), loads the BTT and
     * registers its device, whose probe takes the claim and the loaded BTT over. Loading happens here, with no
     * device lock held, because it may clear bad free blocks ({@code btt_freelist_init}): a bus command, which the
     * core refuses under a device lock. Returns the device, or null when one is attached already and
     * {@code before} is null (the tracker's case).
     *
     * @throws NvdimmException EBUSY when the namespace has a BTT device and {@code before} is not null; the
     *     claim's, the format's, the load's or the core's errno (the reservation and the claim are released then)
     */
    private Device attach(Namespace ns, Runnable before) {
        Attachment a = new Attachment(ns);
        if (!reserve(a)) {
            if (before == null) {
                return null;
            }
            throw new NvdimmException(Errno.EBUSY, ns.name() + ": already has a BTT device ("
                    + Optional.ofNullable(byNamespace.get(ns.name())).map(x -> x.device).map(Device::name)
                            .orElse("being attached") + ")");
        }
        try {
            String region = "btt" + ns.region().id() + ".";
            for (int attempt = 0;; attempt++) {
                String name = region + lowestFreeIndex(region);
                a.claim = ns.claim(name);
                try {
                    if (before != null) {
                        before.run();
                        before = null; // formatted once, whatever the name turns out to be
                    }
                    a.loaded = load(name, a);
                    Device d = core().register(ns.device(), DeviceType.BTT, name);
                    a.device = d;
                    registered.add(d);
                    return d;
                } catch (RuntimeException e) {
                    Bound b = a.loaded;
                    a.loaded = null;
                    if (b != null) {
                        b.close();
                    }
                    Claim c = a.claim;
                    a.claim = null;
                    c.close();
                    if (!(e instanceof NvdimmException ne) || ne.errno() != Errno.EEXIST
                            || attempt == REGISTER_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            byNamespace.remove(ns.name(), a);
            throw e;
        }
    }

    /** Loads the namespace's BTT ({@code discover_arenas}, {@code btt_freelist_init}) for the device {@code name}. */
    private Bound load(String name, Attachment a) {
        Namespace ns = a.ns;
        BttVersion version = BttVersion.forClaimClass(ns.claimClass()).orElseThrow(() -> new NvdimmException(
                Errno.ENODEV, name + ": " + ns.name() + "'s claim class " + ns.claimClass() + " is no BTT's"));
        NamespaceMedium medium = new NamespaceMedium(ns);
        try {
            Btt btt = Btt.load(name, medium, version, ns.uuid(), ns.region().lanes(), lockdep,
                    new NamespaceMediaErrors(ns));
            return new Bound(a, medium, new BttDisk(name, ns, btt));
        } catch (RuntimeException e) {
            medium.close();
            throw e;
        }
    }

    /**
     * Takes the namespace for {@code a}, replacing an attachment whose device died without a remove; false when
     * another attachment (in progress or bound) or a live BTT device has it. Package-private for the tests'
     * negative control.
     */
    boolean reserve(Attachment a) {
        String key = a.ns.name();
        for (;;) {
            Attachment old = byNamespace.putIfAbsent(key, a);
            if (old == null) {
                if (hasLiveBtt(a.ns)) {
                    byNamespace.remove(key, a);
                    return false;
                }
                return true;
            }
            if (!old.stale() && old.ns.isActive()) {
                return false;
            }
            byNamespace.remove(key, old);
        }
    }

    private static boolean hasLiveBtt(Namespace ns) {
        for (Device child : ns.device().children()) {
            if (child.type() == DeviceType.BTT && child.state() != DeviceState.DEAD) {
                return true;
            }
        }
        return false;
    }

    private int lowestFreeIndex(String prefix) {
        java.util.BitSet used = new java.util.BitSet();
        for (Device d : core().devices()) {
            // a dead device keeps its name until the core forgets it: registering that name again is EEXIST
            if (d.type() == DeviceType.BTT && d.name().startsWith(prefix)) {
                try {
                    used.set(Integer.parseInt(d.name().substring(prefix.length())));
                } catch (NumberFormatException other) {
                    // not a name of this region's form
                }
            }
        }
        return used.nextClearBit(0);
    }

    /** Unregisters every BTT device attached here (the bundle stops); no lock held. */
    public void detachAll() {
        for (Device d : new ArrayList<>(registered)) {
            registered.remove(d);
            if (d.state() != DeviceState.DEAD) {
                try {
                    core().unregister(d);
                } catch (NvdimmException e) {
                    LOG.log(Level.WARNING, d.name() + ": not unregistered: " + e.getMessage());
                }
            }
        }
    }

    /** The BTT device of a namespace while one is attached (tests, listings). */
    Optional<Device> deviceOf(String namespace) {
        return Optional.ofNullable(byNamespace.get(namespace)).map(a -> a.device).filter(d -> d.state() != DeviceState.DEAD);
    }

    // ------------------------------------------------------------------ offline checks

    /**
     * Holds the namespace for an offline check: no BTT device is attached to it until {@link #endCheck}.
     *
     * @throws NvdimmException EBUSY when a check of it is running
     */
    void beginCheck(String namespace) {
        if (!checking.add(namespace)) {
            throw new NvdimmException(Errno.EBUSY, namespace + ": a check of it is running");
        }
    }

    /** Ends {@link #beginCheck}; the caller attaches the BTT again ({@link #namespaceAdded}) if it wants it back. */
    void endCheck(String namespace) {
        checking.remove(namespace);
    }

    /** Takes the namespace's BTT device down, if it has one (its remove releases the claim). No lock held. */
    void detach(Namespace ns) {
        Attachment a = byNamespace.get(ns.name());
        Device d = a == null ? null : a.device;
        if (d != null && d.state() != DeviceState.DEAD) {
            core().unregister(d);
        }
        for (Device child : ns.device().children()) {
            if (child.type() == DeviceType.BTT && child.state() != DeviceState.DEAD) {
                core().unregister(child);
            }
        }
    }

    // ------------------------------------------------------------------ ModeProvider (sector)

    @Override
    public NamespaceMode mode() {
        return NamespaceMode.SECTOR;
    }

    @Override
    public List<Integer> sectorSizes() {
        return SectorSizes.SUPPORTED;
    }

    @Override
    public int defaultSectorSize() {
        return 4096;
    }

    /**
     * Writes a new BTT (version as Linux chooses it for the namespace's labels, a random uuid, the namespace's
     * uuid or nil as parent) while holding the namespace's claim, then attaches its device and binds it, so the
     * namespace is in sector mode with its block device when this returns.
     */
    @Override
    public void format(Namespace ns, int sectorSize, Optional<UUID> parentUuid) {
        SectorSizes.require(ns.name(), sectorSize);
        if (ns.size() < BttProbe.MIN_NAMESPACE) {
            throw new NvdimmException(Errno.ENXIO, ns.name() + ": " + ns.size() + " bytes is too small for a BTT (at"
                    + " least " + BttProbe.MIN_NAMESPACE + ")");
        }
        BttVersion version = BttVersion.forNewBtt(ns.labeled(), ns.labelVersion());
        UUID parent = parentUuid.orElse(InfoBlock.NIL_UUID);
        Device d = attach(ns, () -> Btt.format(new NamespaceMedium(ns), version, sectorSize, UUID.randomUUID(), parent));
        bindNow(d);
    }

    @Override
    public boolean detect(Namespace ns) {
        return probe(ns).isPresent();
    }

    @Override
    public OptionalInt sectorSize(Namespace ns) {
        return probe(ns).map(p -> OptionalInt.of((int) p.info().externalLbaSize())).orElse(OptionalInt.empty());
    }

    /**
     * Takes the BTT device down (its remove releases the claim), then zeroes the first 8 KiB of the namespace as
     * ndctl's {@code zero_info_block} does, through a write that clears bad blocks there.
     */
    @Override
    public void erase(Namespace ns) {
        detach(ns);
        long len = Math.min(ERASE_BYTES, ns.size());
        ns.write(0, MemorySegment.ofArray(new byte[ERASE_BYTES]), 0, len, false);
    }

    // ------------------------------------------------------------------ Driver (nd_btt)

    @Override
    public String name() {
        return BttDevice.DRIVER;
    }

    @Override
    public boolean match(Device device) {
        return device.type() == DeviceType.BTT;
    }

    /**
     * Takes the attachment's claim and loaded BTT over (device lock held: nothing but bookkeeping; the media were
     * read and recovered while attaching, without locks).
     */
    @Override
    public void probe(Device device) {
        String parent = device.parent().map(Device::name).orElse("");
        Attachment a = byNamespace.get(parent);
        Bound b = a == null ? null : a.loaded;
        if (b == null || !b.disk().device().equals(device.name())) {
            throw new NvdimmException(Errno.ENODEV, device.name() + ": not attached to a namespace (" + parent
                    + "); BTT devices are attached when their namespace is enabled");
        }
        if (a.claim == null || !a.ns.isActive()) {
            throw new NvdimmException(Errno.ENXIO, device.name() + ": " + a.ns.name() + " is no longer claimed for it");
        }
        device.setDriverData(b);
    }

    /** Closes the BTT and releases the claim (device lock held; the namespace is in sector mode, so no raw disk comes back). */
    @Override
    public void remove(Device device) {
        Bound b = device.driverData(Bound.class).orElse(null);
        if (b == null) {
            return;
        }
        b.close();
        Attachment a = b.attachment();
        a.loaded = null;
        Claim c = a.claim;
        a.claim = null;
        if (c != null) {
            c.close();
        }
        byNamespace.remove(a.ns.name(), a);
    }

    @Override
    public Map<Class<?>, Object> services(Device device) {
        Bound b = device.driverData(Bound.class).orElse(null);
        if (b == null || !b.disk().isActive()) {
            return Map.of();
        }
        return Map.of(BlockDevice.class, b.disk(), BttDevice.class, b.disk());
    }
}
