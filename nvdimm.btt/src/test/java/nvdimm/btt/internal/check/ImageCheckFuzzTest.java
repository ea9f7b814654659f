package nvdimm.btt.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.check.Verdict;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.testing.FuzzMedium;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.UuidBytes;

/**
 * Jazzer fuzz tests of the offline checker: {@link BttCheck} on a whole namespace image and {@link ImageCheck}
 * on a whole QEMU-layout image (label area parse, namespaces from labels, each namespace's check). A check
 * without repair must write nothing and always give a verdict; a repair writes only inside the medium; a repair
 * that ends consistent or repaired leaves a namespace a second check finds consistent. A failure is any
 * exception but a clean {@link NvdimmException}, an access outside the medium, or one of those broken.
 *
 * <p>Input: a sparse image ({@link FuzzMedium#of}). For {@code checkNamespace} it is the namespace, checked
 * with the uuid its first info block names as parent, info blocks resealed where either version has them; for
 * {@code checkImage} it is the image, whose last 128 KiB are its label area when they start with a namespace
 * index (the QEMU layout of the seeds), else label-less. Seeds ({@code ImageCheckFuzzTestInputs/}): info block,
 * first map page, log, info2 and label index pages of Linux-made images ({@code cnf/fuzz/make-btt-seeds.py}).
 * Without {@code JAZZER_FUZZ=1} only the seeds run; with it ({@code cnf/fuzz/run-fuzz.sh}) 10⁶ executions or 10
 * minutes.
 */
class ImageCheckFuzzTest {

    static final long LABEL_AREA = 128 << 10;

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void checkNamespace(byte[] input) {
        FuzzMedium image = FuzzMedium.of("namespace0.0", input);
        for (BttVersion v : BttVersion.values()) {
            image.resealInfoBlock(v.initialOffset());
        }
        Optional<UUID> uuid = parent(image);
        FuzzMedium dry = image.copy();
        dry.recordWrites();
        try {
            CheckReport report = BttCheck.check("namespace0.0", dry, uuid, CheckOptions.CHECK, Progress.NONE);
            assertNotNull(report.verdict());
        } catch (NvdimmException e) {
            FuzzMedium.assertClean(e);
        }
        dry.assertNoViolations();
        assertEquals(List.of(), dry.writes(), "a check without repair wrote");
        FuzzMedium wet = image.copy();
        CheckReport repaired;
        try {
            repaired = BttCheck.check("namespace0.0", wet, uuid, CheckOptions.REPAIR, Progress.NONE);
        } catch (NvdimmException e) {
            FuzzMedium.assertClean(e);
            wet.assertNoViolations();
            return;
        }
        wet.assertNoViolations();
        if (repaired.verdict() != Verdict.DAMAGED) {
            FuzzMedium again = wet.copy();
            CheckReport second = BttCheck.check("namespace0.0", again, uuid, CheckOptions.CHECK, Progress.NONE);
            again.assertNoViolations();
            assertEquals(Verdict.CONSISTENT, second.verdict(), "after a repair that ended " + repaired.verdict()
                    + " (" + repaired.findings() + "), a second check finds " + second.findings());
        }
    }

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void checkImage(byte[] input) {
        FuzzMedium image = FuzzMedium.of("image", input);
        boolean labeled = image.size() >= 2 * LABEL_AREA && hasIndex(image, image.size() - LABEL_AREA);
        long pmemSize = labeled ? image.size() - LABEL_AREA : image.size();
        for (CheckOptions options : List.of(CheckOptions.CHECK, CheckOptions.REPAIR)) {
            FuzzMedium pmem = image.part("image.pmem", 0, pmemSize);
            Optional<FuzzMedium> labels = labeled
                    ? Optional.of(image.part("image.labels", pmemSize, LABEL_AREA)) : Optional.empty();
            pmem.recordWrites();
            labels.ifPresent(FuzzMedium::recordWrites);
            try {
                List<CheckReport> reports = ImageCheck.checkImage("image", pmem, labels.map(l -> (Medium) l), options,
                        Progress.NONE);
                assertTrue(!reports.isEmpty() && reports.stream().allMatch(r -> r.verdict() != null));
            } catch (NvdimmException e) {
                FuzzMedium.assertClean(e);
            }
            pmem.assertNoViolations();
            labels.ifPresent(FuzzMedium::assertNoViolations);
            labels.ifPresent(l -> assertEquals(List.of(), l.writes(), "a check wrote the label area"));
            if (!options.repair()) {
                assertEquals(List.of(), pmem.writes(), "a check without repair wrote");
            }
        }
    }

    /** The seeds hold BTTs: the checker finds one in each Linux-made image's cut, as namespace and as image. */
    @org.junit.jupiter.api.Test
    void theLinuxSeedsHoldBtts() throws java.io.IOException {
        for (String name : List.of("kernel-btt-512", "kernel-btt-4224", "kernel-btt-520", "kernel-btt-labeled-v1.1-512",
                "kernel-btt-labeled-v1.2-4096", "kernel-btt-labeled-v1.2-520")) {
            try (var in = getClass().getResourceAsStream("ImageCheckFuzzTestInputs/checkNamespace/" + name)) {
                FuzzMedium m = FuzzMedium.of(name, in.readAllBytes());
                assertTrue(BttCheck.check(name, m, parent(m), CheckOptions.CHECK, Progress.NONE).version().isPresent(), name);
            }
            try (var in = getClass().getResourceAsStream("ImageCheckFuzzTestInputs/checkImage/" + name)) {
                FuzzMedium image = FuzzMedium.of(name, in.readAllBytes());
                boolean labeled = image.size() >= 2 * LABEL_AREA && hasIndex(image, image.size() - LABEL_AREA);
                long pmemSize = labeled ? image.size() - LABEL_AREA : image.size();
                List<CheckReport> reports = ImageCheck.checkImage(name, image.part("pmem", 0, pmemSize),
                        labeled ? Optional.of(image.part("labels", pmemSize, LABEL_AREA)) : Optional.empty(),
                        CheckOptions.CHECK, Progress.NONE);
                assertEquals(1, reports.size(), name);
                assertTrue(reports.getFirst().version().isPresent(), name);
            }
        }
    }

    private static boolean hasIndex(FuzzMedium image, long at) {
        byte[] sig = new byte[16];
        image.read(at, sig);
        return new String(sig, java.nio.charset.StandardCharsets.US_ASCII).startsWith("NAMESPACE_INDEX");
    }

    /** The parent uuid of the first info block at either version's place, as agreeing labels would give. */
    private static Optional<UUID> parent(FuzzMedium m) {
        for (BttVersion v : BttVersion.values()) {
            if (m.size() >= v.initialOffset() + InfoBlock.SIZE) {
                byte[] block = new byte[48];
                m.read(v.initialOffset(), block);
                if (InfoBlock.hasSignature(block)) {
                    UUID parent = UuidBytes.uuid(block, 32);
                    return InfoBlock.NIL_UUID.equals(parent) ? Optional.empty() : Optional.of(parent);
                }
            }
        }
        return Optional.empty();
    }
}
