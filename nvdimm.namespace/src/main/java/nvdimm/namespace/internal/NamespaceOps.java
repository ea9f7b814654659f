package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import nvdimm.bus.BusReconfiguration;
import nvdimm.bus.DeviceCore;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.NvdimmException;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.Mutex;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.Namespaces;
import nvdimm.namespace.spi.ModeProvider;
import nvdimm.region.Extent;
import nvdimm.region.Region;

/**
 * The management service ({@code ndctl create-namespace}, {@code destroy-namespace}, {@code enable-namespace},
 * {@code disable-namespace}). A change holds the bus's namespace operation lock and its reconfiguration lock
 * for its whole length, checks everything first, writes the labels, then changes the devices.
 */
final class NamespaceOps implements Namespaces {
    private final NamespaceRegistry registry;
    private final ModeProviders modes;
    private final DeviceCore core;
    private final Lockdep lockdep;
    private final ConcurrentHashMap<NvdimmBus, Mutex> opsLocks = new ConcurrentHashMap<>();

    /** How a change is serialised with the others on its bus; tests swap in a double without locks. */
    interface Serialisation {
        Object run(Region region, Supplier<?> body);
    }

    volatile Serialisation serialisation = this::lockedRun;

    NamespaceOps(NamespaceRegistry registry, ModeProviders modes, DeviceCore core, Lockdep lockdep) {
        this.registry = registry;
        this.modes = modes;
        this.core = core;
        this.lockdep = lockdep;
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<NamespaceInfo> list() {
        List<NamespaceInfo> out = new ArrayList<>();
        for (NamespaceEntry e : registry.live()) {
            out.add(registry.info(e));
        }
        return out;
    }

    @Override
    public Optional<NamespaceInfo> info(String name) {
        Objects.requireNonNull(name, "name");
        return live(name).map(registry::info);
    }

    @Override
    public Optional<Namespace> find(String name) {
        Objects.requireNonNull(name, "name");
        return live(name).map(e -> e.bound).filter(ns -> ns != null && ns.isActive()).map(ns -> ns);
    }

    private Optional<NamespaceEntry> live(String name) {
        return registry.entryNamed(name).filter(NamespaceEntry::isLive);
    }

    private NamespaceEntry entry(String name) {
        Objects.requireNonNull(name, "name");
        return live(name).orElseThrow(() -> new NvdimmException(Errno.ENODEV, name + ": no such namespace"));
    }

    // ------------------------------------------------------------------ create

    @Override
    public NamespaceInfo create(NamespaceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String who = spec.region().orElse("create-namespace");
        ModeProvider provider = SpecCheck.mode(spec, modes, who);
        SpecCheck.name(spec.name(), who);
        List<RegionNamespaces> candidates;
        if (spec.region().isPresent()) {
            candidates = List.of(region(spec.region().get()));
        } else {
            candidates = registry.regions();
            if (candidates.isEmpty()) {
                throw new NvdimmException(Errno.ENODEV, "create-namespace: no enabled region");
            }
        }
        NvdimmException last = null;
        for (RegionNamespaces rn : candidates) {
            try {
                return locked(rn.region, () -> createIn(current(rn), spec, provider));
            } catch (NvdimmException e) {
                boolean tryNext = e.errno() == Errno.ENOSPC || e.errno() == Errno.EBUSY;
                if (spec.region().isPresent() || !tryNext) {
                    throw e;
                }
                if (last == null || last.errno() != Errno.ENOSPC) {
                    last = e; // "no space" says more than "busy"
                }
            }
        }
        throw last;
    }

    /** {@code regionN} or {@code N}, enabled and enumerated. */
    private RegionNamespaces region(String given) {
        String name = given.matches("\\d+") ? "region" + given : given;
        return registry.region(name).orElseThrow(() -> new NvdimmException(Errno.ENODEV, given
                + ": no such enabled region"));
    }

    /** The region's namespaces as they are now that the locks are held (it may have been disabled meanwhile). */
    private RegionNamespaces current(RegionNamespaces rn) {
        RegionNamespaces now = registry.region(rn.region.name()).orElse(null);
        if (now != rn) {
            throw new NvdimmException(Errno.ENXIO, rn.region.name() + ": disabled meanwhile");
        }
        return rn;
    }

    private NamespaceInfo createIn(RegionNamespaces rn, NamespaceSpec spec, ModeProvider provider) {
        Region region = rn.region;
        String who = region.name();
        if (!rn.labeled()) {
            List<NamespaceEntry> live = rn.live();
            if (live.isEmpty()) {
                // its namespace device died under a region teardown that has not unlisted the region yet
                throw new NvdimmException(Errno.ENXIO, who + ": its label-less namespace is going away (the region"
                        + " is being disabled)");
            }
            NamespaceEntry io = live.getFirst();
            if (io.isEnabled()) {
                throw new NvdimmException(Errno.EBUSY, who + ": its label-less namespace " + io.name
                        + " is enabled; a label-less region has only that one (destroy it first, or reconfigure it)");
            }
            NamespaceConfig config = labelLess(rn, spec, provider, who);
            return apply(io, config, spec, provider);
        }
        UUID uuid = spec.uuid().orElseGet(UUID::randomUUID);
        requireUnique(region.bus(), uuid, null, who);
        long align = Capacity.alignment(region);
        Extent largest = Capacity.largest(Capacity.free(rn.labels.reserved(), region.size(), align));
        long available = largest == null ? 0 : largest.length();
        long size;
        if (spec.size().isPresent()) {
            size = spec.size().getAsLong();
            SpecCheck.size(size, region, spec.mode(), who);
        } else {
            size = available;
            if (spec.mode() != NamespaceMode.RAW && size < SpecCheck.MIN_MODE_SIZE) {
                throw new NvdimmException(Errno.ENOSPC, who + ": largest free extent " + Capacity.human(available)
                        + " is too small for " + spec.mode().ndctlName() + " mode (at least "
                        + Capacity.human(SpecCheck.MIN_MODE_SIZE) + ")");
            }
        }
        if (size == 0 || size > available) {
            throw new NvdimmException(Errno.ENOSPC, who + ": " + (size == 0 ? "no free capacity" : Capacity.human(size)
                    + " requested, largest free extent " + Capacity.human(available)));
        }
        if (rn.labels.freeSlots() < 1) {
            throw new NvdimmException(Errno.ENOSPC, who + ": no free label slot on the DIMMs of the region");
        }
        int lbaSize = SpecCheck.lbaSize(spec, provider, true, who);
        NamespaceConfig config = new NamespaceConfig(nvdimm.bus.DeviceType.NAMESPACE_PMEM, false, Optional.of(uuid),
                spec.name(), largest.offset(), size, lbaSize,
                SpecCheck.abstractionGuid(spec.mode(), rn.labels.version()), Optional.empty());
        rn.labels.write(config.labels());
        NamespaceEntry target = rn.seed().orElse(null);
        if (target == null) {
            target = new NamespaceEntry(rn, rn.freeIndex(), config);
            rn.entries.put(target.name, target);
            registry.register(target);
        } else {
            target.config = config;
        }
        NamespaceEntry seed = new NamespaceEntry(rn, rn.freeIndex(), NamespaceConfig.idleSeed());
        rn.entries.put(seed.name, seed);
        registry.register(seed);
        return enableAndFormat(target, spec, provider);
    }

    /** A label-less namespace's configuration: the whole region, no uuid, no name, sector size 512. */
    private static NamespaceConfig labelLess(RegionNamespaces rn, NamespaceSpec spec, ModeProvider provider,
            String who) {
        Region region = rn.region;
        if (spec.size().isPresent() && spec.size().getAsLong() != region.size()) {
            throw new NvdimmException(Errno.EINVAL, who + ": size " + Capacity.human(spec.size().getAsLong())
                    + ": a label-less namespace spans its region (" + Capacity.human(region.size())
                    + "); label-less regions cannot be divided (retry without a size)");
        }
        if (spec.uuid().isPresent() || spec.name().isPresent()) {
            throw new NvdimmException(Errno.EINVAL, who + ": " + (spec.uuid().isPresent() ? "uuid" : "name")
                    + ": a label-less namespace has no labels to keep it");
        }
        SpecCheck.lbaSize(spec, provider, false, who);
        if (spec.mode() != NamespaceMode.RAW && region.size() < SpecCheck.MIN_MODE_SIZE) {
            throw new NvdimmException(Errno.EINVAL, who + ": " + Capacity.human(region.size()) + " is too small for "
                    + spec.mode().ndctlName() + " mode (at least " + Capacity.human(SpecCheck.MIN_MODE_SIZE) + ")");
        }
        return NamespaceConfig.io(region.size());
    }

    /** A label-less namespace put in its mode: it is disabled here, with its metadata erased. */
    private NamespaceInfo apply(NamespaceEntry e, NamespaceConfig config, NamespaceSpec spec, ModeProvider provider) {
        e.config = config;
        return enableAndFormat(e, spec, provider);
    }

    private NamespaceInfo enableAndFormat(NamespaceEntry e, NamespaceSpec spec, ModeProvider provider) {
        e.detected = NamespaceMode.RAW;
        e.modeSectorSize = OptionalInt.empty();
        core.enable(e.device);
        if (provider != null) {
            int ss = SpecCheck.modeSectorSize(spec, provider, e.name);
            NamespaceImpl ns = bound(e);
            provider.format(ns, ss, ns.uuid());
            e.detected = provider.mode();
            e.modeSectorSize = OptionalInt.of(ss);
        }
        return registry.info(e);
    }

    private static NamespaceImpl bound(NamespaceEntry e) {
        NamespaceImpl ns = e.bound;
        if (ns == null || !ns.isActive()) {
            throw new NvdimmException(Errno.ENXIO, e.name + ": disabled while it was being configured");
        }
        return ns;
    }

    private void requireUnique(NvdimmBus bus, UUID uuid, NamespaceEntry except, String who) {
        for (NamespaceEntry e : registry.live()) {
            if (e != except && e.region.region.bus() == bus && e.config.uuid().equals(Optional.of(uuid))) {
                throw new NvdimmException(Errno.EEXIST, who + ": uuid " + uuid + " is in use by " + e.name);
            }
        }
    }

    // ------------------------------------------------------------------ reconfigure

    @Override
    public NamespaceInfo reconfigure(String name, NamespaceSpec spec, boolean force) {
        Objects.requireNonNull(spec, "spec");
        NamespaceEntry e = entry(name);
        idleCheck(e);
        ModeProvider provider = SpecCheck.mode(spec, modes, name);
        SpecCheck.name(spec.name(), name);
        if (spec.region().isPresent() && !region(spec.region().get()).equals(e.region)) {
            throw new NvdimmException(Errno.EINVAL, name + ": region " + spec.region().get() + ": the namespace is in "
                    + e.region.region.name());
        }
        return locked(e.region.region, () -> {
            RegionNamespaces rn = current(e.region);
            requireChangeable(e, force, "re-configuration");
            NamespaceConfig old = e.config;
            NamespaceConfig next;
            if (!rn.labeled()) {
                next = labelLess(rn, spec, provider, name);
            } else {
                UUID uuid = spec.uuid().orElse(old.uuid().orElseThrow());
                requireUnique(rn.region.bus(), uuid, e, name);
                long size = old.size();
                if (spec.size().isPresent()) {
                    size = spec.size().getAsLong();
                    SpecCheck.size(size, rn.region, spec.mode(), name);
                    List<Extent> others = Capacity.without(rn.labels.reserved(), old.offset(), old.size());
                    List<Extent> free = Capacity.free(others, rn.region.size(), Capacity.alignment(rn.region));
                    if (!Capacity.fits(free, old.offset(), size)) {
                        Extent room = Capacity.largest(free.stream().filter(x -> x.offset() == old.offset()).toList());
                        throw new NvdimmException(Errno.ENOSPC, name + ": " + Capacity.human(size)
                                + " requested in place, " + Capacity.human(room == null ? 0 : room.length())
                                + " free from its start");
                    }
                } else if (spec.mode() != NamespaceMode.RAW && size < SpecCheck.MIN_MODE_SIZE) {
                    throw new NvdimmException(Errno.EINVAL, name + ": " + Capacity.human(size) + " is too small for "
                            + spec.mode().ndctlName() + " mode (at least " + Capacity.human(SpecCheck.MIN_MODE_SIZE)
                            + ")");
                }
                next = new NamespaceConfig(old.type(), false, Optional.of(uuid),
                        spec.name().isPresent() ? spec.name() : old.name(), old.offset(), size,
                        SpecCheck.lbaSize(spec, provider, true, name),
                        SpecCheck.abstractionGuid(spec.mode(), rn.labels.version()), Optional.empty());
            }
            eraseMode(e);
            if (e.isEnabled()) {
                core.disable(e.device);
            }
            if (rn.labeled()) {
                if (!next.uuid().equals(old.uuid())) {
                    rn.labels.delete(old.uuid().orElseThrow());
                }
                rn.labels.write(next.labels());
            }
            e.config = next;
            return enableAndFormat(e, spec, provider);
        });
    }

    /** Refuses a seed or a set that does not assemble, which cannot be changed in place. */
    private static void idleCheck(NamespaceEntry e) {
        if (e.config.seed()) {
            throw new NvdimmException(Errno.EINVAL, e.name + ": an idle seed namespace (size 0); create a namespace"
                    + " instead");
        }
        if (e.config.problem().isPresent()) {
            throw new NvdimmException(Errno.ENXIO, e.name + ": its labels do not assemble: "
                    + e.config.problem().get());
        }
    }

    /**
     * EBUSY for an enabled namespace without force, naming its claimer when claimed (ndctl: a namespace in
     * sector mode is active through its BTT). With force, a claimed one is changed as ndctl does: its mode is
     * erased (the mode provider takes its BTT down first) and it is disabled, which removes its children.
     */
    private static void requireChangeable(NamespaceEntry e, boolean force, String what) {
        NamespaceImpl ns = e.bound;
        Optional<String> holder = ns == null ? Optional.empty() : ns.claimedBy();
        if (holder.isPresent() && !force) {
            throw new NvdimmException(Errno.EBUSY, e.name + ": is active (claimed by " + holder.get()
                    + "), specify --force for " + what);
        }
        if (e.isEnabled() && !force) {
            throw new NvdimmException(Errno.EBUSY, e.name + ": is active, specify --force for " + what);
        }
    }

    /**
     * Zeroes the metadata of whatever mode the namespace is in (ndctl zeroes the info block on destroy and
     * reconfigure), enabling it for that if it is disabled; it is enabled afterwards when a provider looked.
     */
    private void eraseMode(NamespaceEntry e) {
        if (modes.all().isEmpty()) {
            return;
        }
        if (!e.isEnabled()) {
            core.enable(e.device);
        }
        NamespaceImpl ns = bound(e);
        modes.detect(ns).ifPresent(p -> p.erase(ns));
        e.detected = NamespaceMode.RAW;
    }

    // ------------------------------------------------------------------ destroy, enable, disable

    @Override
    public void destroy(String name, boolean force) {
        NamespaceEntry e = entry(name);
        if (e.config.seed()) {
            return; // an idle seed has nothing to destroy (ndctl skips it)
        }
        locked(e.region.region, () -> {
            RegionNamespaces rn = current(e.region);
            requireChangeable(e, force, "deletion");
            if (e.config.problem().isPresent()) {
                rn.labels.delete(e.config.uuid().orElseThrow());
                core.unregister(e.device);
                rn.entries.remove(e.name, e);
                return null;
            }
            eraseMode(e);
            if (e.isEnabled()) {
                core.disable(e.device);
            }
            if (rn.labeled()) {
                rn.labels.delete(e.config.uuid().orElseThrow());
                core.unregister(e.device);
                rn.entries.remove(e.name, e);
                if (rn.seed().isEmpty()) {
                    NamespaceEntry seed = new NamespaceEntry(rn, rn.freeIndex(), NamespaceConfig.idleSeed());
                    rn.entries.put(seed.name, seed);
                    registry.register(seed);
                }
            }
            return null;
        });
    }

    @Override
    public void enable(String name) {
        NamespaceEntry e = entry(name);
        if (e.config.seed()) {
            throw new NvdimmException(Errno.ENXIO, name + ": an idle seed namespace (size 0) has nothing to enable");
        }
        if (e.config.problem().isPresent()) {
            throw new NvdimmException(Errno.ENXIO, name + ": its labels do not assemble: " + e.config.problem().get());
        }
        core.enable(e.device);
    }

    @Override
    public void disable(String name) {
        NamespaceEntry e = entry(name);
        if (e.isEnabled()) {
            core.disable(e.device);
        }
    }

    // ------------------------------------------------------------------ locking

    @SuppressWarnings("unchecked")
    private <T> T locked(Region region, Supplier<T> body) {
        return (T) serialisation.run(region, body);
    }

    /** Runs {@code body} holding the bus's namespace operation lock and reconfiguration lock, probes idle. */
    private Object lockedRun(Region region, Supplier<?> body) {
        NvdimmBus bus = region.bus();
        Mutex ops = opsLocks.computeIfAbsent(bus, b -> lockdep.newMutex(NamespaceLocks.OPS));
        lockdep.mightSleep();
        ops.lock();
        try (BusReconfiguration reconfiguration = bus.lockReconfiguration()) {
            reconfiguration.waitProbeIdle();
            return body.get();
        } finally {
            ops.unlock();
        }
    }
}
