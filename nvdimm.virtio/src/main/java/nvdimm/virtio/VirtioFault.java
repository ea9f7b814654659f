package nvdimm.virtio;

import java.util.Arrays;
import java.util.Locale;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/** A fault {@code virtio:inject} (or a test) sets on a device; {@link VirtioPmem#clear()} ends them all. */
public enum VirtioFault {
    /** The host fails the next N flushes (the guest sees EIO). */
    FAIL_FLUSH("fail-flush", false),
    /** Each host force starts a number of milliseconds late (a slow host disk). */
    DELAY("delay", true),
    /** The next N kicks fail: the guest marks the queue broken and every flush gets EIO until cleared. */
    KICK_FAIL("kick-fail", false),
    /** The queue breaks now (a device that needs a reset). */
    BREAK("break", false),
    /** Host answers reach the guest a number of milliseconds after their force (a slow completion path). */
    LATE("late", true),
    /** The host stops answering; flushes wait until the fault is cleared or the device goes. */
    SILENT("silent", false);

    private final String shellName;
    private final boolean takesMillis;

    VirtioFault(String shellName, boolean takesMillis) {
        this.shellName = shellName;
        this.takesMillis = takesMillis;
    }

    /** The name the shell uses. */
    public String shellName() {
        return shellName;
    }

    /** Whether the fault takes a duration in milliseconds. */
    public boolean takesMillis() {
        return takesMillis;
    }

    /**
     * The fault a shell name (or constant name) stands for.
     *
     * @throws NvdimmException EINVAL naming the known faults
     */
    public static VirtioFault parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (VirtioFault f : values()) {
            if (f.shellName.equals(t)) {
                return f;
            }
        }
        throw new NvdimmException(Errno.EINVAL, "unknown virtio fault '" + text + "'; the faults are "
                + String.join(", ", Arrays.stream(values()).map(VirtioFault::shellName).toList()));
    }

    @Override
    public String toString() {
        return shellName;
    }
}
