package nvdimm.bus;

/** Where a device is in its life. */
public enum DeviceState {
    /**
     * Registered, no driver bound: not probed yet, no driver matched, the probe failed (see
     * {@link Device#probeError()}), or disabled on request. ndctl shows {@code "state":"disabled"}.
     */
    DISABLED,
    /** A driver is bound: the device is in use and published as a service. */
    ENABLED,
    /** Unregistered: being torn down or gone. Nothing more can be done with it. */
    DEAD
}
