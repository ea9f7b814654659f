package nvdimm.shell.internal.ndctl;

import nvdimm.bus.Dimm;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.bus.NvdimmBus;
import nvdimm.bus.RegionDevice;

/**
 * ndctl's object filters: a bus is named by {@code ndbusN}, its number or its provider string;
 * a DIMM by {@code nmemN}, its number or its id; a namespace by {@code namespaceR.N} or {@code R.N};
 * {@code all} (or no filter) matches everything, and an empty name nothing.
 */
final class Filters {

    private Filters() {
    }

    /** No filter, or {@code all}; an empty name is no filter's spelling of all: it matches nothing. */
    static boolean all(String filter) {
        return filter == null || filter.equals("all");
    }

    static boolean bus(String filter, NvdimmBus bus) {
        return all(filter) || filter.equals(bus.name()) || filter.equals(String.valueOf(bus.id()))
                || filter.equals(bus.provider());
    }

    static boolean dimm(String filter, Dimm dimm) {
        return all(filter) || filter.equals(dimm.name()) || filter.equals(String.valueOf(dimm.id()))
                || filter.equals(dimm.dimmId());
    }

    static boolean region(String filter, RegionDevice region) {
        return all(filter) || filter.equals(region.name()) || filter.equals(String.valueOf(region.id()));
    }

    static boolean namespace(String filter, NamespaceInfo ns) {
        return all(filter) || filter.equals(ns.dev())
                || (ns.dev().startsWith("namespace") && filter.equals(ns.dev().substring("namespace".length())));
    }
}
