package nvdimm.btt.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tukaani.xz.XZInputStream;

import nvdimm.btt.internal.format.BttVersion;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;

/**
 * Shared by the format, compatibility and check tests. An image file a Linux 6.1 guest made under QEMU (test resources {@code linux-btt/NAME.img.xz}), described by
 * its {@code kernel-btt.sh info --json} dump ({@code NAME.info.json}) and the kernel-read sha256 of listed
 * sectors ({@code NAME.sha256}). Where the namespace lies comes from the dump's labels: the in-use label's
 * DPA and rawsize (a single QEMU DIMM: DPA is the file offset), or, label-less, the whole file; the BTT
 * version from the label's abstraction GUID as {@code nd_btt_version} picks it.
 */
public record KernelImage(String name) {

    public static final String BTT2_GUID = "18633bfc-1735-4217-8ac9-17239282d3f8";

    /** The images in the test resources. */
    public static KernelImage[] all() {
        return java.util.Arrays.stream(new String(resourceBytes("/linux-btt/IMAGES"), StandardCharsets.US_ASCII)
                .split("\n")).map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#"))
                .map(KernelImage::new).toArray(KernelImage[]::new);
    }

    public JsonNode json() {
        try {
            return new ObjectMapper().readTree(resourceBytes("/linux-btt/" + name + ".info.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The in-use namespace label, if the image has labels. */
    public Optional<JsonNode> label() {
        JsonNode labels = json().path("labels").path("labels");
        for (JsonNode l : labels) {
            if (l.path("in_use").asBoolean()) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    public long namespaceStart() {
        return label().map(l -> l.get("dpa").asLong()).orElse(0L);
    }

    public long namespaceSize() {
        return label().map(l -> l.get("rawsize").asLong()).orElse(json().get("image_size").asLong());
    }

    public Optional<UUID> namespaceUuid() {
        return label().map(l -> UUID.fromString(l.get("uuid").asText()));
    }

    public BttVersion version() {
        return label().filter(l -> BTT2_GUID.equals(l.path("abstraction_guid").asText())).isPresent()
                ? BttVersion.V2_0 : BttVersion.V1_1;
    }

    /** The arenas' dumps, in order. */
    public JsonNode arenas() {
        return json().get("btt").get(0);
    }

    public int sectorSize() {
        return arenas().get(0).get("external_lbasize").asInt();
    }

    /** The image decompressed onto a memory medium. */
    public Medium image() {
        long size = json().get("image_size").asLong();
        Medium medium = Media.memory(name + ".img", size);
        try (InputStream in = new XZInputStream(resource("/linux-btt/" + name + ".img.xz"))) {
            byte[] buf = new byte[1 << 20];
            long at = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                medium.write(at, buf, 0, n);
                at += n;
            }
            if (at != size) {
                throw new IllegalStateException(name + ": " + at + " bytes decompressed, " + size + " expected");
            }
        } catch (IOException e) {
            medium.close();
            throw new UncheckedIOException(e);
        }
        return medium;
    }

    /** The namespace's bytes in the image. */
    public Medium namespace(Medium image) {
        return nvdimm.bus.Media.slice(image, image.name() + "@" + namespaceStart(), namespaceStart(), namespaceSize());
    }

    /** The kernel-read sha256 of each listed LBA. */
    public Map<Long, String> sectorHashes() {
        Map<Long, String> hashes = new TreeMap<>();
        for (String line : new String(resourceBytes("/linux-btt/" + name + ".sha256"), StandardCharsets.US_ASCII)
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && !f[0].equals("all")) {
                hashes.put(Long.parseLong(f[0]), f[1]);
            }
        }
        return hashes;
    }

    private static InputStream resource(String path) {
        InputStream in = KernelImage.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("test resource " + path + " is missing");
        }
        return in;
    }

    private static byte[] resourceBytes(String path) {
        try (InputStream in = resource(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
