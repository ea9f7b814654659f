package nvdimm.btt.internal.device;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.check.BttCheck;
import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Claim;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.Namespaces;

/**
 * ndctl's {@code check-namespace} on an attached namespace: refused while the namespace is active unless forced;
 * a disabled one is enabled for the check with no BTT attached (ndctl's {@code force_raw}) and disabled again; an
 * active one (forced) loses its BTT device for the check and gets it back afterwards if a BTT is (still, or once
 * repaired) there. While checked, the namespace is claimed, so neither its raw disk nor a BTT writes to it.
 * Called with no lock held.
 */
final class NamespaceCheck {
    private final BttDevices devices;
    private final Supplier<Namespaces> namespaces;
    private final Function<String, Optional<Namespace>> active;

    /**
     * @param active the namespace's service while it is enabled, by name
     */
    NamespaceCheck(BttDevices devices, Supplier<Namespaces> namespaces, Function<String, Optional<Namespace>> active) {
        this.devices = devices;
        this.namespaces = namespaces;
        this.active = active;
    }

    CheckReport check(String name, CheckOptions options, boolean force, Progress progress) {
        Namespaces all = namespaces.get();
        if (all == null) {
            throw new NvdimmException(Errno.ENODEV, name + ": cannot check: the namespace service is not running");
        }
        NamespaceInfo info = all.info(name).orElseThrow(() -> new NvdimmException(Errno.ENXIO, name
                + ": no such namespace"));
        if (info.seed()) {
            throw new NvdimmException(Errno.ENXIO, name + ": an idle seed namespace (size 0): nothing to check");
        }
        if (info.enabled() && !force) {
            throw new NvdimmException(Errno.EBUSY, name + ": check aborted, namespace online (disable it first, or"
                    + " specify --force)");
        }
        devices.beginCheck(name);
        Namespace ns = null;
        try {
            if (!info.enabled()) {
                all.enable(name);
            }
            ns = active.apply(name).orElseThrow(() -> new NvdimmException(Errno.ENXIO, name
                    + ": disabled while it was being checked"));
            devices.detach(ns);
            CheckReport report;
            try (Claim claim = ns.claim("check-namespace")) {
                report = BttCheck.check(name, new NamespaceMedium(ns), ns.uuid(), options, progress);
            }
            if (report.version().isEmpty() && ns.claimClass() != ClaimClass.BTT && ns.claimClass() != ClaimClass.BTT2) {
                throw new NvdimmException(Errno.ENXIO, name + ": not a sector mode namespace (no BTT info block at"
                        + " 4096 or 0, nor a backup of one where it belongs): nothing to check");
            }
            return report;
        } finally {
            devices.endCheck(name);
            if (!info.enabled()) {
                disableQuietly(all, name);
            } else if (ns != null) {
                devices.namespaceAdded(ns); // its BTT comes back if it is (or now is) valid
            }
        }
    }

    private static void disableQuietly(Namespaces all, String name) {
        try {
            all.disable(name);
        } catch (NvdimmException e) {
            System.getLogger("nvdimm.btt").log(System.Logger.Level.WARNING, name
                    + ": left enabled after its check: " + e.getMessage());
        }
    }
}
