package nvdimm.bus.internal;

import java.nio.channels.FileChannel.MapMode;

/**
 * The only place that names {@code jdk.nio.mapmode}. The bundle imports that package optionally,
 * so in a framework that does not export it this class fails to link, with a
 * {@link NoClassDefFoundError} the caller turns into EOPNOTSUPP, and nothing else is affected.
 */
final class DaxMapMode {

    private DaxMapMode() {
    }

    /** Read-write, shared, and synchronous ({@code MAP_SYNC}): only DAX file systems accept it. */
    static MapMode readWriteSync() {
        return jdk.nio.mapmode.ExtendedMapMode.READ_WRITE_SYNC;
    }
}
