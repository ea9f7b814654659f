package nvdimm.namespace.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.DeviceType;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.internal.labels.LabeledNamespace;
import nvdimm.namespace.internal.labels.UnassembledSet;

/**
 * What a namespace device is, as its labels (or its region, label-less) say: the state that lives on
 * the media. A seed has size 0; a set that does not assemble carries the reason in {@code problem}.
 */
record NamespaceConfig(DeviceType type, boolean seed, Optional<UUID> uuid, Optional<String> name, long offset,
        long size, int lbaSize, UUID abstractionGuid, Optional<String> problem) {

    static final UUID NULL_GUID = new UUID(0, 0);

    NamespaceConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(abstractionGuid, "abstractionGuid");
        Objects.requireNonNull(problem, "problem");
    }

    /** The io namespace spanning a label-less region. */
    static NamespaceConfig io(long regionSize) {
        return new NamespaceConfig(DeviceType.NAMESPACE_IO, false, Optional.empty(), Optional.empty(), 0, regionSize,
                512, NULL_GUID, Optional.empty());
    }

    /** A labeled region's idle seed. */
    static NamespaceConfig idleSeed() {
        return new NamespaceConfig(DeviceType.NAMESPACE_PMEM, true, Optional.empty(), Optional.empty(), 0, 0, 512,
                NULL_GUID, Optional.empty());
    }

    static NamespaceConfig of(LabeledNamespace n) {
        return new NamespaceConfig(DeviceType.NAMESPACE_PMEM, false, Optional.of(n.uuid()), n.name(),
                n.regionOffset(), n.size(), (int) n.lbaSize(), n.abstractionGuid(), Optional.empty());
    }

    static NamespaceConfig of(UnassembledSet u) {
        return new NamespaceConfig(DeviceType.NAMESPACE_PMEM, false, Optional.of(u.uuid()), u.name(), 0, u.size(),
                512, NULL_GUID, Optional.of(u.reason()));
    }

    boolean labeled() {
        return type == DeviceType.NAMESPACE_PMEM;
    }

    /** Whether the namespace driver can bind it: neither a seed nor a set that does not assemble. */
    boolean bindable() {
        return !seed && problem.isEmpty() && size > 0;
    }

    ClaimClass claimClass() {
        return ClaimClass.ofGuid(abstractionGuid);
    }

    /** The labels that describe it. */
    LabeledNamespace labels() {
        return new LabeledNamespace(uuid.orElseThrow(), name, offset, size, lbaSize, abstractionGuid);
    }
}
