package nvdimm.bus;

import java.util.Optional;

/**
 * The Linux error numbers the stack reports, with their numeric codes and the text glibc's
 * {@code strerror} gives for them on Linux.
 *
 * <p>Every failure in the stack is an {@link NvdimmException} carrying one of these, so that a
 * caller (and a shell script) sees the same error a Linux ndctl user would.
 */
public enum Errno {
    /** Operation not permitted. */
    EPERM(1, "Operation not permitted"),
    /** No such file or directory. */
    ENOENT(2, "No such file or directory"),
    /** Interrupted system call: the calling thread was interrupted. */
    EINTR(4, "Interrupted system call"),
    /** Input/output error: the device or medium failed. */
    EIO(5, "Input/output error"),
    /** No such device or address: an address beyond the device, or a device that went away. */
    ENXIO(6, "No such device or address"),
    /** Resource temporarily unavailable: try again. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** Cannot allocate memory. */
    ENOMEM(12, "Cannot allocate memory"),
    /** Permission denied. */
    EACCES(13, "Permission denied"),
    /** Device or resource busy. */
    EBUSY(16, "Device or resource busy"),
    /** File exists: the object is already there. */
    EEXIST(17, "File exists"),
    /** No such device. */
    ENODEV(19, "No such device"),
    /** Not a directory. */
    ENOTDIR(20, "Not a directory"),
    /** Is a directory. */
    EISDIR(21, "Is a directory"),
    /** Invalid argument. */
    EINVAL(22, "Invalid argument"),
    /** Inappropriate ioctl for device: a command the device does not know. */
    ENOTTY(25, "Inappropriate ioctl for device"),
    /** File too large. */
    EFBIG(27, "File too large"),
    /** No space left on device. */
    ENOSPC(28, "No space left on device"),
    /** Read-only file system. */
    EROFS(30, "Read-only file system"),
    /** Numerical result out of range. */
    ERANGE(34, "Numerical result out of range"),
    /** Resource deadlock avoided: the call would wait for something that waits for the caller, or that it holds itself. */
    EDEADLK(35, "Resource deadlock avoided"),
    /** Operation not supported. */
    EOPNOTSUPP(95, "Operation not supported"),
    /** Connection timed out (Linux's text for every timeout). */
    ETIMEDOUT(110, "Connection timed out");

    private final int code;
    private final String strerror;

    Errno(int code, String strerror) {
        this.code = code;
        this.strerror = strerror;
    }

    /** The positive Linux error number, as in {@code <asm-generic/errno.h>}. */
    public int code() {
        return code;
    }

    /** The description Linux prints for this error, for example "Input/output error". */
    public String strerror() {
        return strerror;
    }

    /**
     * The error with the given Linux number.
     *
     * @param code a positive Linux error number; a negated kernel return value must be negated back
     * @return the error, or empty when the stack does not know that number
     */
    public static Optional<Errno> ofCode(int code) {
        for (Errno errno : values()) {
            if (errno.code == code) {
                return Optional.of(errno);
            }
        }
        return Optional.empty();
    }

    /**
     * The error whose {@link #strerror()} text is the given text, which is how the JDK reports
     * the errno of a failed system call in an {@link java.io.IOException}'s message.
     *
     * @param text a strerror text, for example "No space left on device"
     * @return the error, or empty when no known error has that text
     */
    public static Optional<Errno> ofStrerror(String text) {
        for (Errno errno : values()) {
            if (errno.strerror.equals(text)) {
                return Optional.of(errno);
            }
        }
        return Optional.empty();
    }
}
