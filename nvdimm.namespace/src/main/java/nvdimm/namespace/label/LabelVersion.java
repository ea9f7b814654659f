package nvdimm.namespace.label;

import java.util.Locale;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** The namespace label specification versions Linux writes: the index's major.minor and the label size. */
public enum LabelVersion {
    /** v1.1: 128-byte labels without GUIDs or checksum. */
    V1_1(1, 1, 128),
    /** v1.2 (UEFI 2.7): 256-byte labels with type and abstraction GUIDs and a checksum. */
    V1_2(1, 2, 256);

    private final int major;
    private final int minor;
    private final int labelSize;

    LabelVersion(int major, int minor, int labelSize) {
        this.major = major;
        this.minor = minor;
        this.labelSize = labelSize;
    }

    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }

    /** Bytes of one label. */
    public int labelSize() {
        return labelSize;
    }

    /** {@code "1.1"} or {@code "1.2"}. */
    public String text() {
        return major + "." + minor;
    }

    /** The version whose labels are {@code labelSize} bytes. */
    public static LabelVersion ofLabelSize(long labelSize) {
        return labelSize == 256 ? V1_2 : V1_1;
    }

    /**
     * The version ndctl's {@code -V} names: {@code 1.1}, {@code v1.1}, {@code 1.2} or {@code v1.2}.
     *
     * @throws NvdimmException EINVAL for anything else
     */
    public static LabelVersion parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "1.1", "v1.1" -> V1_1;
            case "1.2", "v1.2" -> V1_2;
            default -> throw new NvdimmException(Errno.EINVAL, "'" + text + "' is not a valid label version (1.1 or 1.2)");
        };
    }
}
