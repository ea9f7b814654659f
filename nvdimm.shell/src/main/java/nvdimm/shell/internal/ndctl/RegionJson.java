package nvdimm.shell.internal.ndctl;

import java.util.List;
import java.util.Optional;

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
 * A region as {@code ndctl list -R} prints it. A disabled region shows what its description says
 * and {@code "state":"disabled"}; capacity and badblocks come from the bound region. {@code iset_id}
 * is the interleave-set cookie Linux's {@code set_cookie} shows: the v1.2 one, as long as no DIMM
 * carries v1.1 labels; {@code -v} adds the mappings and the badblocks.
 */
final class RegionJson {

    private RegionJson() {
    }

    static ObjectNode of(RegionDevice device, Optional<Region> bound, boolean verbose, boolean human) {
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
        if (verbose && !d.mappings().isEmpty()) {
            ArrayNode mappings = o.putArray("mappings");
            for (Mapping m : d.mappings()) {
                ObjectNode mj = mappings.addObject();
                mj.put("dimm", device.dimms().stream().filter(x -> x.handle() == m.dimmHandle())
                        .map(Dimm::name).findFirst().orElse("handle " + m.dimmHandle()));
                Human.putHex(mj, "offset", m.dpa(), human);
                Human.putSize(mj, "length", m.length(), human);
                mj.put("position", m.position());
            }
        }
        o.put("persistence_domain", d.persistenceDomain().sysfs());
        if (bound.isEmpty()) {
            o.put("state", "disabled");
        } else {
            Badblocks badblocks = bound.get().badblocks();
            if (!badblocks.isEmpty()) {
                o.put("badblock_count", badblocks.sectors());
                if (verbose) {
                    ArrayNode list = o.putArray("badblocks");
                    for (Badblocks.Range r : badblocks.ranges()) {
                        ObjectNode rj = list.addObject();
                        rj.put("offset", r.sector());
                        rj.put("length", r.count());
                    }
                }
            }
        }
        return o;
    }
}
