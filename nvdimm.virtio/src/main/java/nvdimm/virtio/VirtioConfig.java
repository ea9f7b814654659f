package nvdimm.virtio;

/**
 * The configuration of virtio-pmem devices: the factory PID and its property names.
 *
 * <p>Every factory configuration of {@value #FACTORY_PID} (FileInstall: {@code etc/nvdimm.virtio-NAME.cfg},
 * PID {@code nvdimm.virtio~NAME}) is one device called NAME: a bus whose provider is
 * {@value #PROVIDER} (as Linux names every virtio-pmem bus), with one region and no DIMMs, flushed by a
 * host through a virtqueue.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>key</th><th>value</th><th>default</th></tr>
 * <tr><td>{@value #NAME}</td><td>the device's name (letters, digits, {@code . _ -})</td><td>the configuration's
 * name (the part of the PID after {@code ~})</td></tr>
 * <tr><td>{@value #PATH}</td><td>the backing file (QEMU's {@code memory-backend-file,mem-path}); relative to
 * the data directory; created sparse if missing, refused if it exists with another size</td><td>required</td></tr>
 * <tr><td>{@value #SIZE}</td><td>bytes, a positive multiple of 4096, with an optional K, M, G or T</td>
 * <td>required</td></tr>
 * <tr><td>{@value #QUEUE_SIZE}</td><td>descriptors in the virtqueue, a power of two, 1 to 32768</td>
 * <td>{@value #DEFAULT_QUEUE_SIZE}</td></tr>
 * <tr><td>{@value #HOST_THREADS}</td><td>host worker threads forcing the file, 1 to 64</td>
 * <td>{@value #DEFAULT_HOST_THREADS}</td></tr>
 * </table>
 *
 * <p>A bad configuration gives no device and one log line with an {@code EINVAL} message naming the
 * configuration, the key and the problem, before any file is created.
 */
public final class VirtioConfig {

    public static final String FACTORY_PID = "nvdimm.virtio";
    /** The provider string of every virtio-pmem bus (Linux's {@code provider_name}). */
    public static final String PROVIDER = "virtio-pmem";

    public static final String NAME = "name";
    public static final String PATH = "path";
    public static final String SIZE = "size";
    public static final String QUEUE_SIZE = "queue.size";
    public static final String HOST_THREADS = "host.threads";

    public static final int DEFAULT_QUEUE_SIZE = 128;
    public static final int MAX_QUEUE_SIZE = 32768;
    public static final int DEFAULT_HOST_THREADS = 1;
    public static final int MAX_HOST_THREADS = 64;

    /** The service property naming the device on its {@link VirtioPmem} and bus provider services. */
    public static final String DEVICE_PROPERTY = "nvdimm.virtio.name";

    private VirtioConfig() {
    }
}
