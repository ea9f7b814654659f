package nvdimm.region.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Dimm;
import nvdimm.bus.Driver;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.bus.spi.ScrubStatus;
import nvdimm.lockdep.Lockdep;
import nvdimm.region.InterleaveSetCookies;
import nvdimm.region.LanePolicy;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.Region;
import nvdimm.region.RegionMapping;
import nvdimm.region.Regions;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The region driver ({@code nd_region}, Linux's region.c) as a DS component: a {@link Driver} for the
 * device core and the {@link Regions} management service.
 *
 * <h2>Probe, in order</h2>
 * <ol>
 * <li>{@link #probe} (core's probe thread or the enabling caller, region device lock held): validates
 * the description against the bus's DIMMs and the lane settings (EINVAL naming the region and the
 * problem; the region stays registered, disabled, with that probe error), makes the lanes, the mappings
 * and the interleave-set cookies, and sets the binding as the device's driver data. No command, no
 * framework call.</li>
 * <li>{@link #services} (same thread, right after, no device lock; still counted as probe work, so
 * {@link DeviceCore#waitProbeIdle()} covers it): reads the bus's scrub status (a command, hence not in
 * the probe) and fills the badblocks, <em>then</em> lets the namespace provider register the namespaces
 * (seed 001, patch 3: badblocks before namespaces), then returns the {@link Region} to publish.</li>
 * </ol>
 * A region disabled in between keeps its state: the core does not publish it, and the namespaces
 * registered meanwhile are refused by the core (ENXIO) or removed with it.
 *
 * <h2>Configuration</h2>
 * PID {@value #PID}: {@code lanes} (default 256) and {@code lane.policy} ({@code sticky}, the default,
 * {@code hash} or {@code round-robin}). Changes apply to regions bound afterwards (disable and enable a region to apply
 * them to it); a bad value fails those probes with EINVAL.
 */
@Component(service = {Driver.class, Regions.class}, immediate = true, configurationPid = RegionDriver.PID)
@Designate(ocd = RegionDriver.Config.class)
public class RegionDriver implements Driver, Regions {
    public static final String PID = "nvdimm.region";
    static final System.Logger LOG = System.getLogger("nvdimm.region");

    @ObjectClassDefinition(name = "nvdimm region driver", description = "Lanes of the regions the driver binds")
    public @interface Config {
        @AttributeDefinition(name = "Lanes", description = "Lanes per region, 1 to 256 (ND_MAX_LANES)")
        int lanes() default 256;

        @AttributeDefinition(name = "Lane policy",
                description = "sticky: a lane per thread, given on first use to a lane with the fewest threads;"
                        + " hash: thread id modulo the lanes (cpu % lanes with thread ids); round-robin: a"
                        + " shared counter (the 'last lane' strategy)",
                options = {@Option(label = "sticky", value = "sticky"), @Option(label = "hash", value = "hash"),
                        @Option(label = "round-robin", value = "round-robin")})
        String lane_policy() default "sticky";
    }

    /**
     * The driver's settings as configured, validated when a region is probed: a value Configuration
     * Admin cannot turn into a number (say {@code lanes = zz}) fails the probes naming the key, instead
     * of failing the driver's activation and taking every region and command with it.
     */
    record Settings(String lanes, String lanePolicy) {
        static final Settings DEFAULT = new Settings(256, "sticky");

        Settings(int lanes, String lanePolicy) {
            this(String.valueOf(lanes), lanePolicy);
        }

        /** The settings in a component's properties ({@code lanes}, {@code lane.policy}), defaults for what is missing. */
        static Settings of(Map<String, ?> properties) {
            Object lanes = properties.get("lanes");
            Object policy = properties.get("lane.policy");
            return new Settings(lanes == null ? DEFAULT.lanes() : String.valueOf(lanes).strip(),
                    policy == null ? DEFAULT.lanePolicy() : String.valueOf(policy).strip());
        }

        /** The lane count, or EINVAL naming the key when it is no whole number. */
        int laneCount(String region) {
            try {
                return Integer.parseInt(lanes);
            } catch (NumberFormatException e) {
                throw new NvdimmException(Errno.EINVAL, region + ": lanes '" + lanes + "': not a whole number"
                        + " (configuration " + PID + ", lanes)");
            }
        }
    }

    private final Lockdep lockdep;
    private final DeviceCore core;
    private volatile Settings settings;
    private final AtomicReference<NamespaceProvider> namespaceProvider = new AtomicReference<>();
    private final ConcurrentHashMap<RegionDevice, RegionBinding> bound = new ConcurrentHashMap<>();
    private final BusScrubs scrubs = new BusScrubs(this::enabledRegions);

    @Activate
    public RegionDriver(@Reference(name = "lockdep") Lockdep lockdep, @Reference(name = "core") DeviceCore core,
            Map<String, Object> properties) {
        this(lockdep, core, Settings.of(properties));
    }

    RegionDriver(Lockdep lockdep, DeviceCore core, Settings settings) {
        this.lockdep = Objects.requireNonNull(lockdep, "lockdep");
        this.core = Objects.requireNonNull(core, "core");
        this.settings = Objects.requireNonNull(settings, "settings");
        RegionLocks.register(lockdep);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        settings = Settings.of(properties);
    }

    @Deactivate
    void deactivate() {
        scrubs.close();
    }

    // ------------------------------------------------------------------ namespace provider

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindNamespaceProvider(NamespaceProvider provider) {
        try {
            namespaceProvider.set(provider);
            for (RegionBinding r : enabled()) {
                enumerate(r);
            }
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    /** The namespaces of every region it enumerated go; a replacement enumerates again. */
    void unbindNamespaceProvider(NamespaceProvider provider) {
        try {
            namespaceProvider.compareAndSet(provider, null);
            for (RegionBinding r : enabled()) {
                if (r.enumeratedBy.compareAndSet(provider, null)) {
                    removeChildren(r.device());
                }
                enumerate(r);
            }
        } finally {
            lockdep.assertNoneHeld();
        }
    }

    private void removeChildren(RegionDevice device) {
        List<Device> children = device.children();
        for (int i = children.size() - 1; i >= 0; i--) {
            try {
                core.unregister(children.get(i));
            } catch (NvdimmException e) {
                LOG.log(Level.WARNING, device.name() + ": removing " + children.get(i).name() + ": " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ Driver

    @Override
    public String name() {
        return Region.DRIVER;
    }

    @Override
    public boolean match(Device device) {
        return device instanceof RegionDevice;
    }

    @Override
    public void probe(Device device) {
        RegionDevice rd = (RegionDevice) device;
        String name = rd.name();
        Settings s = settings;
        RegionDescriptor d = rd.descriptor();
        NvdimmBus bus = rd.bus();
        List<Dimm> dimms = bus.dimms();
        for (Dimm mapped : rd.dimms()) {
            if (mapped.state() == nvdimm.bus.DeviceState.DEAD) {
                // the bus is going away, DIMMs first: an enable racing with that is late, not malformed
                throw new NvdimmException(Errno.ENXIO, name + ": " + mapped.name() + " is gone (" + bus.name()
                        + " is going away)");
            }
        }
        List<DimmDescriptor> descriptors = dimms.stream().map(Dimm::descriptor).toList();
        RegionValidator.validate(name, bus.name(), d, descriptors);
        LanePolicy policy;
        try {
            policy = LanePolicy.parse(s.lanePolicy());
        } catch (NvdimmException e) {
            throw new NvdimmException(Errno.EINVAL, name + ": " + e.detail() + " (configuration " + PID + ")");
        }
        int laneCount = s.laneCount(name);
        MutexLanePool lanes;
        try {
            lanes = new MutexLanePool(name, lockdep, laneCount, policy);
        } catch (NvdimmException e) {
            throw new NvdimmException(Errno.EINVAL, e.detail() + " (configuration " + PID + ", lanes)");
        }
        List<RegionMapping> mappings = new ArrayList<>();
        for (Mapping m : d.mappings()) {
            String dimm = dimms.stream().filter(x -> x.handle() == m.dimmHandle()).findFirst().orElseThrow().name();
            mappings.add(new RegionMapping(dimm, m.dimmHandle(), m.dpa(), m.length(), m.position(), m.regionOffset()));
        }
        mappings.sort(Comparator.comparingInt(RegionMapping::position));
        InterleaveSetCookies cookies = d.mappings().isEmpty() ? null
                : InterleaveSetCookies.compute(d.mappings(), descriptors);
        RegionBinding region = new RegionBinding(rd, mappings, cookies, lanes, lockdep, core, namespaceProvider::get);
        device.setDriverData(region);
        bound.put(rd, region);
    }

    @Override
    public void remove(Device device) {
        RegionBinding region = bound.remove(device);
        if (region != null) {
            region.close();
        }
    }

    /**
     * The second half of the probe, without the device lock: badblocks, then namespaces. Must not throw
     * (the core would withdraw the device's publication).
     */
    @Override
    public Map<Class<?>, Object> services(Device device) {
        RegionBinding region = bound.get(device);
        if (region == null || !region.isActive()) {
            return Map.of();
        }
        settle(region);
        return region.isActive() ? Map.of(Region.class, region) : Map.of();
    }

    /** Badblocks first, then namespaces (seed 001, patch 3). A test double reverses it. */
    void settle(RegionBinding region) {
        populateBadblocks(region);
        enumerate(region);
    }

    /** Fills the region's badblocks from the bus's last scrub results. */
    void populateBadblocks(RegionBinding region) {
        if (region.isPopulated()) {
            return;
        }
        ScrubStatus status;
        try {
            status = region.bus().scrubStatus();
        } catch (NvdimmException e) {
            if (e.errno() != Errno.EOPNOTSUPP) { // a provider without scrub simply has no badblocks
                LOG.log(Level.WARNING, region.name() + ": badblocks start empty: " + e.getMessage());
            }
            region.populate(List.of());
            return;
        }
        region.populate(status.records());
    }

    /** Lets the namespace provider, if any, register the region's namespaces: once per provider and binding. */
    void enumerate(RegionBinding region) {
        NamespaceProvider p = namespaceProvider.get();
        if (p == null || !region.isActive() || !region.isPopulated() || !region.enumeratedBy.compareAndSet(null, p)) {
            return;
        }
        try {
            p.enumerate(region);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, region.name() + ": the namespace provider failed: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ Regions

    /** Enabled regions whose badblocks are populated, in id order. */
    private List<RegionBinding> enabled() {
        List<RegionBinding> out = new ArrayList<>();
        for (RegionBinding r : bound.values()) {
            if (r.isActive() && r.isPopulated()) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingInt(RegionBinding::id));
        return out;
    }

    private List<RegionBinding> enabledRegions(NvdimmBus bus) {
        return enabled().stream().filter(r -> r.bus() == bus).toList();
    }

    @Override
    public List<Region> list() {
        return List.copyOf(enabled());
    }

    @Override
    public Optional<Region> find(String name) {
        Objects.requireNonNull(name, "name");
        for (RegionBinding r : enabled()) {
            if (r.name().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private RegionDevice regionDevice(String name) {
        Objects.requireNonNull(name, "name");
        return core.find(name, RegionDevice.class)
                .orElseThrow(() -> new NvdimmException(Errno.ENODEV, name + ": no such region"));
    }

    @Override
    public Region enable(String name) {
        RegionDevice device = regionDevice(name);
        refuseDisabledLabeledDimms(device);
        core.enable(device);
        RegionBinding r = bound.get(device);
        if (r == null || !r.isActive()) {
            throw new NvdimmException(Errno.ENXIO, name + ": disabled again while it was being enabled");
        }
        if (!r.isPopulated()) {
            // The core left the publication to the publisher of the previous binding, which is still
            // withdrawing: do not return before the badblocks and the namespaces are there.
            settle(r);
        }
        return r;
    }

    /**
     * Linux's region probe fails with ENXIO when a DIMM that keeps labels is not bound: its labels are
     * needed to tell where namespaces lie. Checked here, on the explicit enable, rather than in
     * {@link #probe}: at bus registration the DIMMs' own probes may still be queued, and the core does
     * not tell "not probed yet" from "disabled".
     */
    private static void refuseDisabledLabeledDimms(RegionDevice device) {
        for (Dimm dimm : device.dimms()) {
            if (!dimm.isEnabled() && dimm.descriptor().labelAreaSize() > 0) {
                throw new NvdimmException(Errno.ENXIO, device.name() + ": " + dimm.name()
                        + ": is disabled, failing probe");
            }
        }
    }

    @Override
    public void disable(String name) {
        RegionDevice device = regionDevice(name);
        lockdep.mightSleep();
        List<Device> children = device.children();
        for (int i = children.size() - 1; i >= 0; i--) {
            try {
                core.disable(children.get(i));
            } catch (NvdimmException e) {
                if (e.errno() != Errno.ENXIO) { // ENXIO: it went away meanwhile
                    throw e;
                }
            }
        }
        core.disable(device);
    }

    private NvdimmBus bus(String name) {
        Objects.requireNonNull(name, "bus");
        for (NvdimmBus b : core.buses()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new NvdimmException(Errno.ENODEV, name + ": no such bus");
    }

    @Override
    public void startScrub(String bus) {
        scrubs.start(bus(bus));
    }

    @Override
    public void waitScrub(String bus, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        NvdimmBus b = bus(bus);
        lockdep.mightSleep();
        scrubs.await(b, timeout);
    }

    @Override
    public String toString() {
        return "RegionDriver[" + bound.size() + " bound]";
    }
}
