package nvdimm.btt.internal.compat;

import nvdimm.btt.testing.KernelImage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link KbttPattern} is the harness's pattern: the kernel-read hashes of LBAs the harness wrote. */
class KbttPatternTest {

    @Test
    void theHarnessWroteThesePatterns() {
        // kernel-btt-512: seed 1 on LBAs 0..1023, then seed 2 on 500..599; kernel-btt-4096 the same
        var hashes512 = new KernelImage("kernel-btt-512").sectorHashes();
        assertEquals(hashes512.get(0L), KbttPattern.sha256Hex(KbttPattern.sector(1, 0, 512)));
        assertEquals(hashes512.get(1023L), KbttPattern.sha256Hex(KbttPattern.sector(1, 1023, 512)));
        assertEquals(hashes512.get(550L), KbttPattern.sha256Hex(KbttPattern.sector(2, 550, 512)));
        var hashes4096 = new KernelImage("kernel-btt-4096").sectorHashes();
        assertEquals(hashes4096.get(7L), KbttPattern.sha256Hex(KbttPattern.sector(1, 7, 4096)));
        assertEquals(hashes4096.get(599L), KbttPattern.sha256Hex(KbttPattern.sector(2, 599, 4096)));
    }
}
