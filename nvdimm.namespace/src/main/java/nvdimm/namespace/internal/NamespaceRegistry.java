package nvdimm.namespace.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

import nvdimm.bus.Device;
import nvdimm.bus.DeviceType;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.internal.labels.LabeledNamespace;
import nvdimm.namespace.internal.labels.RegionLabelReader;
import nvdimm.namespace.internal.labels.RegionLabels;
import nvdimm.namespace.internal.labels.UnassembledSet;
import nvdimm.region.Badblocks;
import nvdimm.region.Extent;
import nvdimm.region.NamespaceProvider;
import nvdimm.region.Region;

/**
 * The namespace provider: finds each enabled region's namespaces (Linux's {@code nd_region_register_namespaces})
 * and keeps them, by region, for the driver and the management service. Label-less regions get one io
 * namespace spanning them; labeled ones a pmem namespace per assembled label set, a disabled one per set
 * that does not assemble (with the reason), and the idle seed.
 */
final class NamespaceRegistry implements NamespaceProvider {
    private static final System.Logger LOG = System.getLogger("nvdimm.namespace");
    private final RegionLabelReader reader;
    /** By region name: the namespaces of its current binding. */
    private final ConcurrentHashMap<String, RegionNamespaces> regions = new ConcurrentHashMap<>();

    NamespaceRegistry(RegionLabelReader reader) {
        this.reader = reader;
    }

    @Override
    public void enumerate(Region region) {
        RegionLabels labels = reader.read(region);
        RegionNamespaces rn = new RegionNamespaces(region, labels.labeled() ? labels : null);
        List<NamespaceEntry> entries = new ArrayList<>();
        if (!rn.labeled()) {
            entries.add(new NamespaceEntry(rn, 0, NamespaceConfig.io(region.size())));
        } else {
            int i = 0;
            for (LabeledNamespace n : labels.namespaces()) {
                entries.add(new NamespaceEntry(rn, i++, NamespaceConfig.of(n)));
            }
            for (UnassembledSet u : labels.unassembled()) {
                entries.add(new NamespaceEntry(rn, i++, NamespaceConfig.of(u)));
            }
            entries.add(new NamespaceEntry(rn, i, NamespaceConfig.idleSeed()));
        }
        for (NamespaceEntry e : entries) {
            rn.entries.put(e.name, e);
        }
        regions.put(region.name(), rn); // before the devices: their probes look their entries up
        for (NamespaceEntry e : entries) {
            try {
                register(e);
            } catch (NvdimmException ex) {
                LOG.log(Level.DEBUG, region.name() + ": stopped registering namespaces: " + ex.getMessage());
                return; // the region is going away
            }
        }
    }

    /** Registers an entry's device under its region. */
    void register(NamespaceEntry e) {
        e.device = e.region.region.register(e.config.type(), e.name);
    }

    @Override
    public List<Extent> allocations(Region region) {
        RegionNamespaces rn = regions.get(region.name());
        if (rn == null || rn.region != region) {
            return List.of();
        }
        return rn.allocations();
    }

    // ------------------------------------------------------------------ lookups

    /** The namespaces of an enabled region, if this provider enumerated it. */
    Optional<RegionNamespaces> region(String name) {
        RegionNamespaces rn = regions.get(name);
        return rn != null && rn.region.isActive() ? Optional.of(rn) : Optional.empty();
    }

    /** Enabled regions in id order. */
    List<RegionNamespaces> regions() {
        List<RegionNamespaces> out = new ArrayList<>();
        for (RegionNamespaces rn : regions.values()) {
            if (rn.region.isActive()) {
                out.add(rn);
            }
        }
        out.sort(Comparator.comparingInt(rn -> rn.region.id()));
        return out;
    }

    /** The entry of that name bound now, live or being torn down. */
    Optional<NamespaceEntry> boundNamed(String name) {
        for (RegionNamespaces rn : regions.values()) {
            NamespaceEntry e = rn.entries.get(name);
            if (e != null && e.bound != null) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    Optional<NamespaceEntry> entryOf(Device device) {
        Optional<NamespaceEntry> e = entryNamed(device.name());
        return e.filter(x -> x.device == null || x.device == device);
    }

    /** The live entry of that name (or the one being registered). */
    Optional<NamespaceEntry> entryNamed(String name) {
        for (RegionNamespaces rn : regions.values()) {
            NamespaceEntry e = rn.entries.get(name);
            if (e != null && (e.device == null || e.isLive())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every live namespace of every enabled region, in region then index order. */
    List<NamespaceEntry> live() {
        List<NamespaceEntry> out = new ArrayList<>();
        for (RegionNamespaces rn : regions()) {
            out.addAll(rn.live());
        }
        return out;
    }

    NamespaceInfo info(NamespaceEntry e) {
        NamespaceConfig c = e.config;
        NamespaceImpl ns = e.bound;
        boolean enabled = e.isEnabled() && ns != null && ns.isActive();
        NamespaceMode mode = e.mode();
        OptionalInt sectorSize;
        if (mode == NamespaceMode.SECTOR) {
            sectorSize = e.modeSectorSize;
        } else if (c.labeled() && !c.seed()) {
            sectorSize = OptionalInt.of(c.lbaSize());
        } else {
            sectorSize = OptionalInt.empty();
        }
        Optional<String> blockdev = Optional.empty();
        if (enabled) {
            if (ns.claimedBy().isPresent()) {
                blockdev = Optional.of(e.diskName() + "s");
            } else if (ns.diskPublished()) {
                blockdev = Optional.of(e.diskName());
            }
        }
        Optional<String> problem = c.problem();
        if (problem.isEmpty() && !enabled && !c.seed()) {
            Device d = e.device;
            problem = d == null ? Optional.empty() : d.probeError().map(NvdimmException::detail);
        }
        List<Badblocks.Range> bad = List.of();
        if (c.size() > 0 && !c.problem().isPresent()) {
            try {
                bad = NamespaceImpl.clip(e.region.region.badblocks().ranges(), c.offset(), c.size());
            } catch (NvdimmException ex) {
                bad = List.of(); // the region went away meanwhile
            }
        }
        return new NamespaceInfo(e.name, e.region.region.name(), c.labeled(), c.seed(), mode, c.size(), c.uuid(),
                c.name(), sectorSize, blockdev, enabled, problem, bad);
    }

    /** The type label-less regions' namespaces have. */
    static boolean isIo(NamespaceEntry e) {
        return e.config.type() == DeviceType.NAMESPACE_IO;
    }
}
