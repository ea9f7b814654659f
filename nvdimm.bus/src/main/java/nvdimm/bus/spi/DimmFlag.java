package nvdimm.bus.spi;

/**
 * State flags a platform reports for a DIMM (NFIT memory-device flags), shown by
 * {@code ndctl list -D} as {@code flag_failed_save}, {@code flag_failed_arm} and so on.
 */
public enum DimmFlag {
    /** The last shutdown's save to persistent media failed. */
    FAILED_SAVE("flag_failed_save"),
    /** The DIMM is not armed: a power failure now would not be saved. */
    FAILED_ARM("flag_failed_arm"),
    /** The contents were not restored at the last start. */
    FAILED_RESTORE("flag_failed_restore"),
    /** The platform failed to flush the DIMM's write buffers. */
    FAILED_FLUSH("flag_failed_flush"),
    /** The DIMM's memory is not mapped into the system address space. */
    FAILED_MAP("flag_failed_map"),
    /** A SMART health event is pending. */
    SMART_EVENT("flag_smart_event");

    private final String jsonKey;

    DimmFlag(String jsonKey) {
        this.jsonKey = jsonKey;
    }

    /** The key ndctl's JSON uses for this flag. */
    public String jsonKey() {
        return jsonKey;
    }
}
