package nvdimm.emul;

import java.nio.file.Path;

/**
 * An image file attached as a bus with one DIMM, laid out as QEMU's {@code -device nvdimm} lays its
 * memory-backend file.
 *
 * @param provider the provider (bus) name, {@code emul.<name>}
 * @param name the name given at attach time (or derived from the file name)
 * @param file the image, as its real path
 * @param fileSize the image's size in bytes
 * @param pmemSize bytes of persistent memory: file offsets {@code [0, pmemSize)}
 * @param labelSize bytes of label area: the last {@code labelSize} bytes of the file; 0 for none
 * @param labelSizeDetected whether the label size was found by {@link LabelSize#AUTO} detection
 * @param slot the QEMU nvdimm slot whose identity the DIMM presents
 */
public record AttachedImage(String provider, String name, Path file, long fileSize, long pmemSize, long labelSize,
        boolean labelSizeDetected, int slot) {
}
