package nvdimm.bus;

import java.util.Objects;

/**
 * A failure anywhere in the nvdimm stack: a Linux {@link Errno} and a message that names the
 * object and the problem.
 *
 * <p>The message reads {@code "<detail> (<ERRNO>)"}, for example
 * {@code "pmem0.img: offset 4096 + 512 is beyond the medium's size 4096 (ENXIO)"}, where the
 * detail starts with the name of the object that failed. Layers pass these exceptions through
 * unchanged, so the errno a caller sees is the one the failing layer chose: a provider's
 * {@code ENOMEM} stays {@code ENOMEM}.
 */
public final class NvdimmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String detail;

    /**
     * A failure without an underlying cause.
     *
     * @param errno what kind of failure it is
     * @param detail the object and the problem, for example {@code "region0: the region is busy"}
     */
    public NvdimmException(Errno errno, String detail) {
        this(errno, detail, null);
    }

    /**
     * A failure caused by another exception, which is kept as the cause.
     *
     * @param errno what kind of failure it is
     * @param detail the object and the problem
     * @param cause the underlying failure, or {@code null}
     */
    public NvdimmException(Errno errno, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail") + " (" + Objects.requireNonNull(errno, "errno").name() + ")",
                cause);
        this.errno = errno;
        this.detail = detail;
    }

    /** The Linux error of this failure. */
    public Errno errno() {
        return errno;
    }

    /** The Linux description of {@link #errno()}, for example "No such device or address". */
    public String strerror() {
        return errno.strerror();
    }

    /** The message without the errno suffix: the object and the problem. */
    public String detail() {
        return detail;
    }
}
