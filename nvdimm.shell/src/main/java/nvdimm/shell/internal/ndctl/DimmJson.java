package nvdimm.shell.internal.ndctl;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.bus.Dimm;
import nvdimm.bus.spi.DimmFlag;
import nvdimm.bus.spi.DimmHealth;
import nvdimm.shell.internal.cli.Json;

/** A DIMM as {@code ndctl list -D} prints it; keys, their order and presence follow ndctl's json.c. */
final class DimmJson {

    /** The flags in the order ndctl prints them. */
    private static final List<DimmFlag> FLAGS = List.of(DimmFlag.FAILED_MAP, DimmFlag.FAILED_SAVE,
            DimmFlag.FAILED_ARM, DimmFlag.FAILED_RESTORE, DimmFlag.FAILED_FLUSH, DimmFlag.SMART_EVENT);

    private DimmJson() {
    }

    static ObjectNode of(Dimm dimm, boolean health, boolean human) {
        ObjectNode o = Json.object();
        o.put("dev", dimm.name());
        o.put("id", dimm.dimmId());
        Human.putHex(o, "handle", dimm.handle() & 0xffffffffL, human);
        Human.putHex(o, "phys_id", dimm.physId() & 0xffffL, human);
        if (!dimm.isEnabled()) {
            o.put("state", "disabled");
        }
        for (DimmFlag flag : FLAGS) {
            if (dimm.flags().contains(flag)) {
                o.put(flag.jsonKey(), true);
            }
        }
        if (health) {
            DimmHealth h = dimm.health();
            ObjectNode hj = o.putObject("health");
            hj.put("health_state", h.healthState());
            hj.put("temperature_celsius", h.temperatureCelsius());
            hj.put("spares_percentage", h.sparesPercentage());
            hj.put("life_used_percentage", h.lifeUsedPercentage());
            hj.put("shutdown_state", h.shutdownState());
        }
        return o;
    }
}
