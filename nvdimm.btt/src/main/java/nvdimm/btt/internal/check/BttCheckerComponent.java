package nvdimm.btt.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Component;

import nvdimm.btt.check.BttChecker;
import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/** The {@link BttChecker} service: {@link BttCheck} on a namespace's bytes, or on each namespace of an image. */
@Component(service = BttChecker.class)
public final class BttCheckerComponent implements BttChecker {

    @Override
    public CheckReport check(String target, Medium namespace, Optional<UUID> namespaceUuid, CheckOptions options,
            Progress progress) {
        return BttCheck.check(target, namespace, namespaceUuid, options, progress);
    }

    @Override
    public List<CheckReport> checkImage(String target, Medium pmem, Optional<Medium> labelArea, CheckOptions options,
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
