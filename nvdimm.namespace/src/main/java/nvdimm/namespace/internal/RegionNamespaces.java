package nvdimm.namespace.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import nvdimm.namespace.internal.labels.RegionLabels;
import nvdimm.region.Extent;
import nvdimm.region.Region;

/** The namespaces of one enabled region (one binding of it), and its labels when it is labeled. */
final class RegionNamespaces {
    final Region region;
    /** The labels; null for a label-less region. */
    final RegionLabels labels;
    final ConcurrentHashMap<String, NamespaceEntry> entries = new ConcurrentHashMap<>();

    RegionNamespaces(Region region, RegionLabels labels) {
        this.region = region;
        this.labels = labels;
    }

    boolean labeled() {
        return labels != null;
    }

    /** The live entries in index order. */
    List<NamespaceEntry> live() {
        List<NamespaceEntry> out = new ArrayList<>();
        for (NamespaceEntry e : entries.values()) {
            if (e.isLive()) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingInt(e -> e.index));
        return out;
    }

    Optional<NamespaceEntry> seed() {
        return live().stream().filter(e -> e.config.seed()).findFirst();
    }

    /** The lowest index no live entry has. */
    int freeIndex() {
        int i = 0;
        for (;;) {
            int candidate = i;
            boolean used = false;
            for (NamespaceEntry e : entries.values()) {
                if (e.index == candidate && e.isLive()) {
                    used = true;
                    break;
                }
            }
            if (!used) {
                return candidate;
            }
            i++;
        }
    }

    /** What namespaces use: the labels' reservations, or the whole region when label-less. */
    List<Extent> allocations() {
        if (labels == null) {
            return List.of(new Extent(0, region.size()));
        }
        return labels.reserved();
    }
}
