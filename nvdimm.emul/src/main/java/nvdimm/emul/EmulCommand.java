package nvdimm.emul;

import java.util.Locale;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;

/**
 * The commands of an emulated bus's command handler that a {@link FaultInjector} can make fail,
 * with the names Linux gives them (ndctl and the kernel's {@code nvdimm_cmd_name}).
 */
public enum EmulCommand {
    /** Get Label Size. */
    LABEL_AREA_INFO("get_config_size"),
    /** Get Label Data. */
    READ_LABEL_AREA("get_config_data"),
    /** Set Label Data. */
    WRITE_LABEL_AREA("set_config_data"),
    /** ARS Start. */
    START_SCRUB("ars_start"),
    /** ARS Status. */
    SCRUB_STATUS("ars_status"),
    /** Clear Uncorrectable Error. */
    CLEAR_ERROR("clear_error"),
    /** Error injection. */
    INJECT_ERROR("ars_inject_set"),
    /** Removal of injected errors. */
    UNINJECT_ERROR("ars_inject_clear"),
    /** The list of injected errors. */
    INJECTED_ERRORS("ars_inject_get"),
    /** SMART health. */
    HEALTH("smart");

    private final String linuxName;

    EmulCommand(String linuxName) {
        this.linuxName = linuxName;
    }

    /** The name Linux uses, for example {@code get_config_data}. */
    public String linuxName() {
        return linuxName;
    }

    /**
     * The command named by its constant ({@code READ_LABEL_AREA}) or its Linux name
     * ({@code get_config_data}), ignoring case; {@code -} counts as {@code _}.
     *
     * @throws NvdimmException EINVAL for an unknown name
     */
    public static EmulCommand parse(String name) {
        String n = name == null ? "" : name.strip().replace('-', '_');
        for (EmulCommand c : values()) {
            if (c.name().equalsIgnoreCase(n) || c.linuxName.equalsIgnoreCase(n)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (EmulCommand c : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(c.linuxName);
        }
        throw new NvdimmException(Errno.EINVAL, "command '" + name + "': unknown; known commands: " + known);
    }

    @Override
    public String toString() {
        return linuxName.toLowerCase(Locale.ROOT);
    }
}
