package nvdimm.namespace.label;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import nvdimm.bus.testing.CrashRecorder;
import nvdimm.bus.testing.ImagePolicy;
import nvdimm.bus.testing.RecordingMedium;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The label areas of a two-DIMM interleave set on one crash recorder (a power failure hits both at once),
 * updated as the region writes them: the first pass on every DIMM, then the second on every DIMM. In every
 * joint crash image each DIMM's area holds its old or its new set. (Across DIMMs the update is not atomic,
 * as on Linux: a crash between DIMMs leaves one DIMM new and the other old, which the region shows as a set
 * that does not assemble until the update is written again.)
 */
class InterleaveCrashTest {

    static final int K128 = 128 * 1024;

    static NamespaceLabel label(UUID uuid, String name, int position, long rawSize) {
        return new NamespaceLabel(uuid, name, 0, 2, position, 0x77, 512, 0, rawSize, 0, 0, NamespaceLabel.PMEM_TYPE_GUID,
                NamespaceLabel.NULL_GUID);
    }

    @ParameterizedTest
    @EnumSource(LabelVersion.class)
    void eachDimmHoldsItsOldOrNewSetInEveryJointImage(LabelVersion version) {
        CrashRecorder recorder = new CrashRecorder("region0");
        List<RecordingMedium> media = List.of(recorder.medium("nmem0", K128), recorder.medium("nmem1", K128));
        List<LabelAreaEditor> editors = new ArrayList<>();
        for (RecordingMedium m : media) {
            editors.add(LabelAreaEditor.initialize(K128, version, LabelCrashTest.persisting(m)));
        }
        int indexBytes = 2 * LabelGeometry.of(K128, version).indexSize();
        ImagePolicy policy = ImagePolicy.sampledByDefault().exhaustive("nmem0", 0, indexBytes, "index0")
                .exhaustive("nmem1", 0, indexBytes, "index1").samples(4);
        UUID a = UUID.randomUUID();
        List<List<NamespaceLabel>> updates = List.of(
                List.of(label(a, "a", 0, 1 << 20), label(a, "a", 1, 1 << 20)),
                List.of(label(a, "a grown", 0, 2 << 20), label(a, "a grown", 1, 2 << 20)));
        int[] images = {0};
        for (List<NamespaceLabel> update : updates) {
            recorder.clearLog();
            List<Set<LabelCrashTest.Entry>> before = new ArrayList<>();
            for (RecordingMedium m : media) {
                before.add(LabelCrashTest.set(LabelArea.parse(LabelCrashTest.read(m))));
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int d = 0; d < 2; d++) {
                    NamespaceLabel l = update.get(d);
                    editors.get(d).update(pass == 0 ? l.withFlags(NamespaceLabel.FLAG_UPDATING) : l);
                }
            }
            List<Set<LabelCrashTest.Entry>> after = new ArrayList<>();
            for (RecordingMedium m : media) {
                after.add(LabelCrashTest.set(LabelArea.parse(LabelCrashTest.read(m))));
            }
            recorder.crashPoints(point -> point.forEachImage(policy, 7, image -> {
                images[0]++;
                for (int d = 0; d < 2; d++) {
                    Set<LabelCrashTest.Entry> found = LabelCrashTest.set(LabelArea.parse(
                            LabelCrashTest.read(image.medium("nmem" + d))));
                    int dimm = d;
                    assertTrue(found.equals(before.get(d)) || found.equals(after.get(d)),
                            () -> "nmem" + dimm + " third state " + found);
                }
            }));
        }
        assertTrue(images[0] > 20, images[0] + " images");
    }
}
