package nvdimm.namespace;

import org.osgi.annotation.versioning.ProviderType;

/** A held claim on a namespace ({@link Namespace#claim}); {@link #close()} releases it (once). */
@ProviderType
public interface Claim extends AutoCloseable {
    /** The claimed namespace. */
    Namespace namespace();

    /** The holder's name given at claim time. */
    String holder();

    /** Releases the claim; the raw block device comes back if the namespace is still enabled. */
    @Override
    void close();
}
