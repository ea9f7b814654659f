package nvdimm.bus.spi;

/**
 * What "Get Label Size" (Intel DSM function 4) answers for a DIMM.
 *
 * @param size the label storage area's size in bytes
 * @param maxTransfer the most bytes one get/set label data command moves (QEMU: 4076)
 */
public record LabelAreaInfo(long size, int maxTransfer) {

    public LabelAreaInfo {
        if (size < 0 || maxTransfer <= 0) {
            throw new IllegalArgumentException("label area size must not be negative and max transfer must be positive");
        }
    }
}
