package nvdimm.btt.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/** {@link BttCheck} on each namespace of a QEMU-layout image ({@link nvdimm.btt.check.BttChecker#checkImage}). */
public final class ImageCheck {

    private ImageCheck() {
    }

    public static List<CheckReport> checkImage(String target, Medium pmem, Optional<Medium> labelArea, CheckOptions options,
            Progress progress) {
        List<ImageNamespaces> namespaces = ImageNamespaces.of(pmem, labelArea);
        List<CheckReport> reports = new ArrayList<>();
        for (ImageNamespaces ns : namespaces) {
            String name = target + " " + ns.name();
            try (Medium bytes = Media.slice(pmem, name, ns.offset(), ns.size())) {
                if (!ns.claimedForBtt()) {
                    // a raw namespace is checked only if a BTT (or a backup of one) is there to be checked
                    CheckReport probe = BttCheck.check(name, bytes, ns.uuid(), CheckOptions.CHECK, Progress.NONE);
                    if (probe.version().isEmpty()) {
                        continue;
                    }
                }
                reports.add(BttCheck.check(name, bytes, ns.uuid(), options, progress));
            }
        }
        if (reports.isEmpty()) {
            throw new NvdimmException(Errno.ENXIO, target + ": no BTT in " + namespaces.size() + " namespace"
                    + (namespaces.size() == 1 ? "" : "s") + " (" + (namespaces.getFirst().uuid().isPresent() ? "from its labels"
                            : "label-less") + "): nothing to check; is it a sector mode namespace?");
        }
        return reports;
    }
}
