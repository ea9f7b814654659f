package nvdimm.shell.internal.ndctl;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.Dimm;
import nvdimm.bus.RegionDevice;
import nvdimm.bus.spi.DimmDescriptor;
import nvdimm.bus.spi.Mapping;
import nvdimm.bus.spi.RegionDescriptor;
import nvdimm.region.Badblocks;
import nvdimm.region.InterleaveSetCookies;
import nvdimm.region.Region;
import nvdimm.shell.internal.cli.Json;

/**
 * A region as {@code ndctl list -R} prints it, keys in ndctl's order: {@code dev, size, align,
 * available_size, max_available_extent, type, iset_id, mappings, state, badblock_count, badblocks,
 * persistence_domain}. A disabled region shows what its description says and {@code "state":"disabled"};
 * capacity and badblocks come from the bound region. {@code iset_id} is the interleave-set cookie
 * Linux's {@code set_cookie} shows: the v1.2 one, as long as no DIMM carries v1.1 labels.
 */
final class RegionJson {

    /**
     * What to include.
     *
     * @param mappings the {@code mappings} (ndctl: when DIMMs are listed)
     * @param dimmFilter only mappings of DIMMs this filter matches
     * @param idle mappings of disabled DIMMs too
     * @param mediaErrors the {@code badblocks} list ({@code -M})
     * @param human ndctl's {@code -u} forms
     */
    record Detail(boolean mappings, String dimmFilter, boolean idle, boolean mediaErrors, boolean human) {
    }

    private RegionJson() {
    }

    static ObjectNode of(RegionDevice device, Optional<Region> bound, Detail detail) {
        boolean human = detail.human();
        RegionDescriptor d = device.descriptor();
        ObjectNode o = Json.object();
        o.put("dev", device.name());
        Human.putSize(o, "size", d.size(), human);
        Human.putSize(o, "align", d.align(), human);
        bound.ifPresent(r -> {
            Human.putSize(o, "available_size", r.availableSize(), human);
            Human.putSize(o, "max_available_extent", r.maxAvailableExtent(), human);
        });
        o.put("type", "pmem");
        if (!d.mappings().isEmpty()) {
            List<DimmDescriptor> dimms = device.dimms().stream().map(Dimm::descriptor).toList();
            InterleaveSetCookies cookies = InterleaveSetCookies.compute(d.mappings(), dimms);
            // sysfs set_cookie: cookie1 only for DIMMs with v1.1 labels; no labels yet means v1.2's
            Human.putHex(o, "iset_id", cookies.cookie2(), human);
        }
        if (detail.mappings()) {
            ArrayNode mappings = null;
            for (Mapping m : d.mappings().stream().sorted((a, b) -> Integer.compare(a.position(), b.position())).toList()) {
                Optional<Dimm> dimm = dimmOf(device, m.dimmHandle());
                if (dimm.isEmpty() || !Filters.dimm(detail.dimmFilter(), dimm.get())
                        || (!detail.idle() && !dimm.get().isEnabled())) {
                    continue;
                }
                if (mappings == null) {
                    mappings = o.putArray("mappings");
                }
                ObjectNode mj = mappings.addObject();
                mj.put("dimm", dimm.get().name());
                Human.putHex(mj, "offset", m.dpa(), human);
                Human.putHex(mj, "length", m.length(), human);
                mj.put("position", m.position());
            }
        }
        if (bound.isEmpty()) {
            o.put("state", "disabled");
        } else {
            Badblocks badblocks = bound.get().badblocks();
            if (!badblocks.isEmpty()) {
                o.put("badblock_count", badblocks.sectors());
                if (detail.mediaErrors()) {
                    ArrayNode list = o.putArray("badblocks");
                    for (Badblocks.Range r : badblocks.ranges()) {
                        ObjectNode rj = list.addObject();
                        rj.put("offset", r.sector());
                        rj.put("length", r.count());
                        List<String> holders = dimmsHolding(device, r);
                        if (!holders.isEmpty()) {
                            ArrayNode dj = rj.putArray("dimms");
                            holders.forEach(dj::add);
                        }
                    }
                }
            }
        }
        o.put("persistence_domain", d.persistenceDomain().sysfs());
        return o;
    }

    private static Optional<Dimm> dimmOf(RegionDevice device, int handle) {
        return device.dimms().stream().filter(x -> x.handle() == handle).findFirst();
    }

    /**
     * The DIMMs that hold a sector of the range, ordered by DIMM number as ndctl orders them: granule
     * {@code g} of an interleaved region lies on the DIMM at position {@code g % ways}.
     */
    static List<String> dimmsHolding(RegionDevice device, Badblocks.Range range) {
        RegionDescriptor d = device.descriptor();
        List<Mapping> mappings = d.mappings();
        TreeSet<Dimm> holders = new TreeSet<>((a, b) -> Integer.compare(a.id(), b.id()));
        if (mappings.isEmpty()) {
            return List.of();
        }
        int ways = d.interleaveWays();
        long first = range.sector() * Badblocks.SECTOR_SIZE;
        long end = range.end() * Badblocks.SECTOR_SIZE;
        if (ways == 1 || d.interleaveGranularity() <= 0) {
            dimmOf(device, mappings.get(0).dimmHandle()).ifPresent(holders::add);
        } else {
            long granularity = d.interleaveGranularity();
            long firstGranule = first / granularity;
            long lastGranule = (end - 1) / granularity;
            for (long g = firstGranule; g <= lastGranule && g < firstGranule + ways; g++) {
                int position = (int) (g % ways);
                mappings.stream().filter(m -> m.position() == position).findFirst()
                        .flatMap(m -> dimmOf(device, m.dimmHandle())).ifPresent(holders::add);
            }
        }
        return holders.stream().map(Dimm::name).toList();
    }
}
