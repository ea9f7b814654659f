package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.internal.labels.LabeledNamespace;
import nvdimm.namespace.internal.labels.RegionLabelReader;
import nvdimm.namespace.internal.labels.RegionLabels;
import nvdimm.namespace.internal.labels.UnassembledSet;
import nvdimm.region.Extent;
import nvdimm.region.Region;

/**
 * The label code's double: per region name, an area that outlives the core (a "restart" builds a new core
 * over the same double and finds what was written). A region without an area is label-less. Writes that
 * would make two namespaces overlap are recorded as violations (the real engine writes what it is given).
 */
final class FakeLabels implements RegionLabelReader {

    /** One region's labels. */
    static final class Area {
        volatile String version = "1.2";
        /** By uuid, in slot order. */
        final Map<UUID, LabeledNamespace> namespaces = new LinkedHashMap<>();
        final List<UnassembledSet> unassembled = new ArrayList<>();
        /** Reserved elsewhere (labels of other regions on the same DIMMs, unassembled sets' DPAs). */
        final List<Extent> otherReservations = new ArrayList<>();
        volatile int slots = 16;

        synchronized String snapshot() {
            return namespaces.values() + " " + unassembled + " " + otherReservations;
        }
    }

    final Map<String, Area> areas = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> writes = new CopyOnWriteArrayList<>();
    /** Runs first in every write and delete, with the region's name. */
    volatile Consumer<String> beforeWrite = r -> { };

    Area labeled(String region) {
        return areas.computeIfAbsent(region, r -> new Area());
    }

    /** Every area's state, for "nothing changed" comparisons. */
    String snapshot() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(areas).forEach((k, v) -> b.append(k).append('=').append(v.snapshot()).append('\n'));
        return b.toString();
    }

    @Override
    public RegionLabels read(Region region) {
        return new View(region.name(), areas.get(region.name()));
    }

    private final class View implements RegionLabels {
        private final String region;
        private final Area area;

        View(String region, Area area) {
            this.region = region;
            this.area = area;
        }

        @Override
        public boolean labeled() {
            return area != null;
        }

        @Override
        public String version() {
            return area.version;
        }

        @Override
        public List<LabeledNamespace> namespaces() {
            synchronized (area) {
                return List.copyOf(area.namespaces.values());
            }
        }

        @Override
        public List<UnassembledSet> unassembled() {
            synchronized (area) {
                return List.copyOf(area.unassembled);
            }
        }

        @Override
        public List<Extent> reserved() {
            synchronized (area) {
                List<Extent> out = new ArrayList<>(area.otherReservations);
                for (LabeledNamespace n : area.namespaces.values()) {
                    out.add(new Extent(n.regionOffset(), n.size()));
                }
                return out;
            }
        }

        @Override
        public int freeSlots() {
            synchronized (area) {
                return Math.max(0, area.slots - 1 - area.namespaces.size() - area.unassembled.size());
            }
        }

        @Override
        public void write(LabeledNamespace n) {
            beforeWrite.accept(region);
            synchronized (area) {
                if (!area.namespaces.containsKey(n.uuid()) && freeSlots() < 1) {
                    throw new NvdimmException(Errno.ENOSPC, region + ": no free label slot");
                }
                for (LabeledNamespace o : area.namespaces.values()) {
                    if (!o.uuid().equals(n.uuid()) && o.regionOffset() < n.regionOffset() + n.size()
                            && n.regionOffset() < o.regionOffset() + o.size()) {
                        violations.add(region + ": " + n + " overlaps " + o);
                    }
                }
                area.namespaces.put(n.uuid(), n);
                writes.add(region + " write " + n.uuid());
            }
        }

        @Override
        public void delete(UUID uuid) {
            beforeWrite.accept(region);
            synchronized (area) {
                area.namespaces.remove(uuid);
                area.unassembled.removeIf(u -> u.uuid().equals(uuid));
                writes.add(region + " delete " + uuid);
            }
        }
    }
}
