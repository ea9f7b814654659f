package nvdimm.btt.internal.format;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import nvdimm.bus.Medium;
import nvdimm.namespace.ClaimClass;

/**
 * A BTT image Linux 6.1 wrote (test resources {@code linux-btt/}, from {@code shared/testdata/linux-btt}):
 * the image on a memory medium, its {@code .info.json} dump and its per-sector sha256 list.
 *
 * @param name the image's base name
 * @param namespaceStart where the namespace starts in the file
 * @param namespaceSize its size
 * @param claimClass the claim class its labels give (NONE when label-less or v1.1 labels)
 * @param namespaceUuid the namespace's uuid (labeled images)
 * @param version the BTT version Linux chose
 * @param sectorSize the external sector size
 */
record LinuxImage(String name, long namespaceStart, long namespaceSize, ClaimClass claimClass,
        Optional<UUID> namespaceUuid, BttVersion version, int sectorSize) {

    static final LinuxImage LABEL_LESS_512 = new LinuxImage("kernel-btt-512", 0, 64L << 20, ClaimClass.NONE,
            Optional.empty(), BttVersion.V1_1, 512);
    static final LinuxImage LABELED_V11_512 = new LinuxImage("kernel-btt-labeled-v1.1-512", 0, 64L << 20,
            ClaimClass.NONE, Optional.of(UUID.fromString("ea9283be-e56c-11f1-b872-17d6a5560850")), BttVersion.V1_1,
            512);
    static final LinuxImage LABELED_V12_4096 = new LinuxImage("kernel-btt-labeled-v1.2-4096", 0, 48L << 20,
            ClaimClass.BTT2, Optional.of(UUID.fromString("d557b2bc-e56c-11f1-9747-cb868faa0a78")), BttVersion.V2_0,
            4096);

    static LinuxImage[] all() {
        return new LinuxImage[] {LABEL_LESS_512, LABELED_V11_512, LABELED_V12_4096};
    }

    /** The image decompressed onto a memory medium of the image's size. */
    Medium medium() {
        return kernel().image();
    }

    private nvdimm.btt.testing.KernelImage kernel() {
        return new nvdimm.btt.testing.KernelImage(name);
    }

    /** Where the BTT starts in the file. */
    long bttStart() {
        return namespaceStart + version.initialOffset();
    }

    /** Bytes from the BTT's start to the namespace's end. */
    long rawSize() {
        return namespaceSize - version.initialOffset();
    }

    /** The {@code .info.json} dump. */
    JsonNode json() {
        return kernel().json();
    }

    /** The first arena's fields from the dump. */
    JsonNode arenaJson() {
        return json().get("btt").get(0).get(0);
    }

    /** The kernel-read sha256 of each listed LBA. */
    Map<Long, String> sectorHashes() {
        return kernel().sectorHashes();
    }

    @Override
    public String toString() {
        return name;
    }
}
