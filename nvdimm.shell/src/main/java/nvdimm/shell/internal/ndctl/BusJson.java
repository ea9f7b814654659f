package nvdimm.shell.internal.ndctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import nvdimm.shell.internal.cli.Json;
import nvdimm.bus.NvdimmBus;

/** A bus as {@code ndctl list -B} prints it. */
final class BusJson {

    private BusJson() {
    }

    static ObjectNode of(NvdimmBus bus) {
        ObjectNode o = Json.object();
        o.put("provider", bus.provider());
        o.put("dev", bus.name());
        o.put("scrub_state", bus.scrubStatus().active() ? "active" : "idle");
        return o;
    }
}
