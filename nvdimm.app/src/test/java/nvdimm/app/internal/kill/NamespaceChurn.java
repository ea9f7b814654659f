package nvdimm.app.internal.kill;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;

import nvdimm.bus.NvdimmException;
import nvdimm.namespace.NamespaceInfo;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.Namespaces;

/**
 * The child's namespace churn ({@code killtest:churn}): creates (raw or sector, with a uuid it chooses)
 * and destroys namespaces of one labeled region until it is killed. Each operation is recorded before it
 * starts ({@code +C uuid mode size}, {@code +D uuid}) and after it returned ({@code C uuid},
 * {@code D uuid}); a refusal, which changes nothing, is recorded as {@code X uuid errno}.
 */
final class NamespaceChurn {

    static final int MAX_NAMESPACES = 5;
    private static final long MIB = 1 << 20;

    private final Namespaces namespaces;
    private final Report report;
    private final SplittableRandom random;

    NamespaceChurn(Namespaces namespaces, Report report, long seed) {
        this.namespaces = namespaces;
        this.report = report;
        this.random = new SplittableRandom(seed);
    }

    void run(String region) {
        report.record("S");
        while (true) {
            List<NamespaceInfo> present = namespaces.list().stream()
                    .filter(n -> n.region().equals(region) && !n.seed() && n.uuid().isPresent()).toList();
            if (present.isEmpty() || (present.size() < MAX_NAMESPACES && random.nextInt(100) < 55)) {
                create(region);
            } else {
                destroy(present.get(random.nextInt(present.size())));
            }
        }
    }

    private void create(String region) {
        UUID uuid = new UUID(random.nextLong(), random.nextLong());
        boolean sector = random.nextBoolean();
        long size = (1 + random.nextInt(2)) * 32 * MIB;
        NamespaceSpec spec = new NamespaceSpec(Optional.of(region), OptionalLong.of(size),
                sector ? NamespaceMode.SECTOR : NamespaceMode.RAW, Optional.of(uuid), Optional.empty(),
                sector ? OptionalInt.of(random.nextBoolean() ? 512 : 4096) : OptionalInt.empty());
        report.record("+C " + uuid + " " + (sector ? "sector" : "raw") + " " + size);
        try {
            namespaces.create(spec);
        } catch (NvdimmException e) {
            report.record("X " + uuid + " " + e.errno());
            return;
        }
        report.record("C " + uuid);
    }

    private void destroy(NamespaceInfo victim) {
        UUID uuid = victim.uuid().orElseThrow();
        report.record("+D " + uuid);
        namespaces.destroy(victim.dev(), true);
        report.record("D " + uuid);
    }
}
