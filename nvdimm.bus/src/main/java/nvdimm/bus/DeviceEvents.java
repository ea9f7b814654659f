package nvdimm.bus;

/**
 * The device events the core posts through Event Admin (asynchronously, in the order the changes
 * happened), the counterpart of Linux's uevents: topics {@code nvdimm/device/ADD}, {@code REMOVE},
 * {@code CHANGE}, {@code BIND} and {@code UNBIND}, each with the properties {@value #DEV},
 * {@value #TYPE} and {@value #BUS}; BIND and UNBIND also carry {@value #DRIVER}.
 */
public final class DeviceEvents {
    /** The common prefix of every topic. */
    public static final String TOPIC_PREFIX = "nvdimm/device/";
    /** Subscribes to every device event. */
    public static final String TOPIC_ALL = TOPIC_PREFIX + "*";
    /** A device was registered. */
    public static final String ADD = TOPIC_PREFIX + "ADD";
    /** A device was removed. */
    public static final String REMOVE = TOPIC_PREFIX + "REMOVE";
    /** Something about a device changed (a driver says so through {@link DeviceCore#notifyChange}). */
    public static final String CHANGE = TOPIC_PREFIX + "CHANGE";
    /** A driver was bound to a device. */
    public static final String BIND = TOPIC_PREFIX + "BIND";
    /** A driver was unbound from a device. */
    public static final String UNBIND = TOPIC_PREFIX + "UNBIND";

    /** Property: the device name. */
    public static final String DEV = "dev";
    /** Property: the device's Linux devtype. */
    public static final String TYPE = "type";
    /** Property: the name of the device's bus. */
    public static final String BUS = "bus";
    /** Property (BIND and UNBIND): the driver's name. */
    public static final String DRIVER = "driver";

    private DeviceEvents() {
    }
}
