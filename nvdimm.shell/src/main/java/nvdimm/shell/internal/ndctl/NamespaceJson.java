package nvdimm.shell.internal.ndctl;

import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.btt.BttDevice;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.region.Badblocks;
import nvdimm.shell.internal.cli.Json;

/**
 * A namespace as {@code ndctl list -N} and {@code create-namespace} print it (ndctl's
 * {@code util_namespace_to_json}), keys in its order: {@code dev, mode, size, uuid, sector_size,
 * blockdev, state, name, badblock_count, badblocks}. A labeled namespace always has a uuid (the seed's
 * is all zeros), a label-less one none; {@code sector_size} is 512 when nothing sets it, as the kernel
 * defaults it, and absent for a sector namespace whose BTT is not loaded; {@code state} appears only when disabled, {@code name} only when set,
 * {@code badblock_count} only when non-zero, and the {@code badblocks} list ({offset, length} in
 * 512-byte sectors from the namespace's start) only with media errors asked for and not in sector
 * mode, where ndctl gives the count alone. A sector namespace whose BTT is bound shows the BTT's view, as ndctl
 * 76 does: {@code size} is the BTT's capacity, {@code uuid} the BTT's uuid (label-less ones too), and with
 * {@code -v} the namespace's own uuid as {@code raw_uuid} after it.
 */
final class NamespaceJson {

    private static final UUID NULL_UUID = new UUID(0, 0);

    private NamespaceJson() {
    }

    static ObjectNode of(NamespaceInfo ns, boolean mediaErrors, boolean human) {
        return of(ns, Optional.empty(), mediaErrors, human, false);
    }

    static ObjectNode of(NamespaceInfo ns, Optional<BttDevice> bttOf, boolean mediaErrors, boolean human,
            boolean verbose) {
        Optional<BttDevice> btt = ns.mode() == NamespaceMode.SECTOR && ns.enabled() ? bttOf : Optional.empty();
        ObjectNode o = Json.object();
        o.put("dev", ns.dev());
        o.put("mode", ns.mode().ndctlName());
        Human.putSize(o, "size", btt.map(BttDevice::capacity).orElse(ns.size()), human);
        if (btt.isPresent()) {
            o.put("uuid", btt.get().uuid().toString());
            if (verbose && ns.labeled()) {
                o.put("raw_uuid", ns.uuid().orElse(NULL_UUID).toString());
            }
        } else if (ns.labeled()) {
            o.put("uuid", ns.uuid().orElse(NULL_UUID).toString());
        }
        if (btt.isPresent()) {
            o.put("sector_size", btt.get().sectorSize());
        } else if (ns.sectorSize().isPresent() || ns.mode() != NamespaceMode.SECTOR) {
            o.put("sector_size", ns.sectorSize().orElse(512));
        } // a sector namespace whose BTT is not loaded: its sector size is in the BTT's info block, unread

        ns.blockdev().ifPresent(b -> o.put("blockdev", b));
        if (!ns.enabled()) {
            o.put("state", "disabled");
        }
        ns.name().filter(n -> !n.isEmpty()).ifPresent(n -> o.put("name", n));
        long bad = ns.badblocks().stream().mapToLong(Badblocks.Range::count).sum();
        if (bad > 0) {
            o.put("badblock_count", bad);
            if (mediaErrors && ns.mode() != NamespaceMode.SECTOR) {
                ArrayNode list = o.putArray("badblocks");
                for (Badblocks.Range r : ns.badblocks()) {
                    ObjectNode rj = list.addObject();
                    rj.put("offset", r.sector());
                    rj.put("length", r.count());
                }
            }
        }
        return o;
    }
}
