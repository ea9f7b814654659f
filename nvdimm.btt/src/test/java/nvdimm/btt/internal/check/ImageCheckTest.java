package nvdimm.btt.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.check.Verdict;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.bus.Errno;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/** {@link ImageCheck#checkImage} on the images a Linux kernel wrote, laid out as QEMU lays them. */
class ImageCheckTest {
    static final long LABELS = 128 * 1024;

    /** The image decompressed onto memory. */
    static Medium image(String name) {
        return new nvdimm.btt.testing.KernelImage(name).image();
    }

    List<CheckReport> check(Medium file, boolean labeled, CheckOptions options) {
        long pmem = labeled ? file.size() - LABELS : file.size();
        return ImageCheck.checkImage("img", Media.slice(file, "pmem", 0, pmem),
                labeled ? Optional.of(Media.slice(file, "labels", pmem, LABELS)) : Optional.empty(), options,
                Progress.NONE);
    }

    @Test
    void linuxMadeImagesAreConsistent() {
        Object[][] cases = {{"kernel-btt-512", false, BttVersion.V1_1}, {"kernel-btt-labeled-v1.1-512", true,
                BttVersion.V1_1}, {"kernel-btt-labeled-v1.2-4096", true, BttVersion.V2_0}};
        for (Object[] c : cases) {
            try (Medium file = image((String) c[0])) {
                List<CheckReport> reports = check(file, (Boolean) c[1], CheckOptions.CHECK);
                assertEquals(1, reports.size(), c[0] + ": " + reports);
                CheckReport r = reports.getFirst();
                assertEquals(Verdict.CONSISTENT, r.verdict(), c[0] + ": " + r);
                assertEquals(((BttVersion) c[2]).major() + "." + ((BttVersion) c[2]).minor(), r.version().orElseThrow(),
                        (String) c[0]);
                assertTrue(r.target().startsWith("img namespace0."), r.target());
            }
        }
    }

    /** Every image in {@code linux-btt/IMAGES}, all seven sector sizes among them, labeled or not. */
    @Test
    void everyLinuxMadeImageIsConsistentWhateverItsSectorSize() throws IOException {
        String list;
        try (InputStream in = ImageCheckTest.class.getResourceAsStream("/linux-btt/IMAGES")) {
            list = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        int checked = 0;
        for (String name : list.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            try (InputStream json = ImageCheckTest.class.getResourceAsStream("/linux-btt/" + name + ".info.json");
                    Medium file = image(name)) {
                boolean labeled = !new String(json.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .matches("(?s).*\"label_size\":\\s*0\\b.*");
                List<CheckReport> reports = check(file, labeled, CheckOptions.CHECK);
                assertEquals(1, reports.size(), name + ": " + reports);
                assertEquals(Verdict.CONSISTENT, reports.getFirst().verdict(), name + ": " + reports.getFirst());
                checked++;
            }
        }
        assertTrue(checked >= 14, "images checked: " + checked);
    }

    @Test
    void aLinuxImageWithItsPrimaryInfoBlockGoneIsRepairedFromTheBackup() {
        try (Medium file = image("kernel-btt-labeled-v1.2-4096")) {
            List<CheckReport> labeled = check(file, true, CheckOptions.CHECK);
            long nsStart = 0; // the v1.2 image's namespace starts at DPA 0 and its v2.0 BTT at the namespace's start
            file.write(nsStart, new byte[4096]);
            CheckReport dry = check(file, true, CheckOptions.CHECK).getFirst();
            assertEquals(Verdict.DAMAGED, dry.verdict(), dry.toString());
            CheckReport fixed = check(file, true, CheckOptions.REPAIR).getFirst();
            assertEquals(Verdict.REPAIRED, fixed.verdict(), fixed.toString());
            assertEquals(labeled, check(file, true, CheckOptions.CHECK));
        }
    }

    @Test
    void anImageWithoutAnyBttIsRefused() {
        try (Medium file = Media.memory("zeros", 32L << 20)) {
            NvdimmException e = assertThrows(NvdimmException.class, () -> check(file, false, CheckOptions.CHECK));
            assertEquals(Errno.ENXIO, e.errno());
            assertTrue(e.getMessage().contains("no BTT"), e.getMessage());
        }
    }
}
