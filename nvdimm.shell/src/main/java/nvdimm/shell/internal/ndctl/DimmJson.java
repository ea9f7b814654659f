package nvdimm.shell.internal.ndctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.shell.internal.cli.Json;
import nvdimm.bus.Dimm;
import nvdimm.bus.spi.DimmFlag;
import nvdimm.bus.spi.DimmHealth;

/** A DIMM as {@code ndctl list -D} prints it; keys and their presence follow ndctl's json.c. */
final class DimmJson {

    private DimmJson() {
    }

    static ObjectNode of(Dimm dimm, boolean health, boolean human) {
        ObjectNode o = Json.object();
        o.put("dev", dimm.name());
        o.put("id", dimm.dimmId());
        Human.putHex(o, "handle", dimm.handle() & 0xffffffffL, human);
        Human.putHex(o, "phys_id", dimm.physId() & 0xffffffffL, human);
        for (DimmFlag flag : DimmFlag.values()) {
            if (dimm.flags().contains(flag)) {
                o.put(flag.jsonKey(), true);
            }
        }
        if (!dimm.isEnabled()) {
            o.put("state", "disabled");
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
