package nvdimm.shell.internal.ndctl;

import java.util.List;

import nvdimm.bus.Device;
import nvdimm.bus.Dimm;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;

/** The device kinds ndctl's per-device commands work on, with ndctl's words for them. */
enum DeviceKind {
    /** DIMMs: {@code nmemN}, counted as "nmem". */
    DIMM("dimm", "nmem", "DIMM", "nmemN, N, its id") {
        @Override
        List<? extends Device> devices(NvdimmBus bus) {
            return bus.dimms();
        }

        @Override
        boolean matches(String filter, Device device) {
            return Filters.dimm(filter, (Dimm) device);
        }

        @Override
        String count(int n) {
            return n > 1 ? "nmems" : "nmem"; // ndctl: "disabled 0 nmem"
        }
    },
    /** Regions: {@code regionN}, counted as "region". */
    REGION("region", "region", "region", "regionN, N") {
        @Override
        List<? extends Device> devices(NvdimmBus bus) {
            return bus.regions();
        }

        @Override
        boolean matches(String filter, Device device) {
            return Filters.region(filter, (RegionDevice) device);
        }

        @Override
        String count(int n) {
            return n == 1 ? "region" : "regions"; // ndctl: "disabled 0 regions"
        }
    };

    private final String word;
    private final String noun;
    private final String display;
    private final String forms;

    DeviceKind(String word, String noun, String display, String forms) {
        this.word = word;
        this.noun = noun;
        this.display = display;
        this.forms = forms;
    }

    /** The word in command names: {@code enable-dimm}. */
    String word() {
        return word;
    }

    /** The word in device names and counts: {@code nmem}. */
    String noun() {
        return noun;
    }

    /** How messages name one: "DIMM", "region". */
    String display() {
        return display;
    }

    /** The ways a device of this kind can be named on the command line. */
    String forms() {
        return forms;
    }

    abstract List<? extends Device> devices(NvdimmBus bus);

    abstract boolean matches(String filter, Device device);

    /** The noun after a count, as ndctl's status line has it. */
    abstract String count(int n);
}
