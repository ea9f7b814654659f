package nvdimm.emul;

/**
 * The configuration of emulated buses: the factory PID, its property names and their syntax, and
 * the default configuration the launcher writes on first start.
 *
 * <h2>One bus per factory configuration</h2>
 * Every factory configuration of {@value #FACTORY_PID} (FileInstall: {@code etc/nvdimm.emul-NAME.cfg},
 * PID {@code nvdimm.emul~NAME}) is one bus, registered as one {@code nvdimm.bus.spi.BusProvider}
 * service named {@code emul.NAME}. Every property is optional; a missing one takes the default
 * listed here, and the defaults fit any number of DIMMs: an empty file gives three labeled DIMMs
 * of 256 MiB in files, each its own region. The launcher's {@link #DEFAULT_CFG} sets every key.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>key</th><th>value</th><th>default</th></tr>
 * <tr><td>{@value #NAME}</td><td>the bus name; the provider is {@code emul.<name>}. Letters, digits,
 * {@code . _ -}</td><td>the configuration's name (the part of the PID after {@code ~})</td></tr>
 * <tr><td>{@value #DIMMS}</td><td>how many DIMMs, 1 to {@value #MAX_DIMMS}</td><td>3</td></tr>
 * <tr><td>{@value #DIMM_SIZE}</td><td>bytes of persistent memory per DIMM, a positive multiple of 4096,
 * as a size</td><td>{@code 256M}</td></tr>
 * <tr><td>{@value #LABEL_SIZE}</td><td>label storage area per DIMM: one size for every DIMM, or a comma
 * list with one size per DIMM; each 0 (no labels) or at least 128 KiB</td><td>{@code 128K} (every DIMM)</td></tr>
 * <tr><td>{@value #REGIONS}</td><td>the regions, see below; empty for none</td><td>one region per DIMM:
 * {@code 0,1,2} for three DIMMs</td></tr>
 * <tr><td>{@value #BACKING}</td><td>{@value #BACKING_FILE} (files under the data directory, kept across
 * restarts) or {@value #BACKING_MEMORY} (volatile)</td><td>{@value #BACKING_FILE}</td></tr>
 * <tr><td>{@value #LABEL_MAX_TRANSFER}</td><td>the most label bytes one get/set label data command
 * moves</td><td>{@value #DEFAULT_MAX_TRANSFER}</td></tr>
 * </table>
 *
 * <p><b>Sizes</b> are decimal bytes with an optional binary suffix: {@code K}, {@code M}, {@code G} or
 * {@code T} (also {@code KiB}, {@code MiB}, ...; case-insensitive), so {@code 256M} is 268435456.
 * Typed values (numbers, arrays) from {@code .config} files are accepted too.
 *
 * <p><b>Regions</b>: a comma list of regions, in order (region 0 first). A region is the DIMM
 * indexes it interleaves, joined by {@code +}, optionally followed by {@code :} and the interleave
 * granularity (a size; a power of two of at least 4 KiB; default 4096; only for two or more DIMMs):
 * {@code 0+1:4096,2} is region 0 interleaving DIMMs 0 and 1 every 4 KiB, then region 1 on DIMM 2
 * alone. The DIMMs of a region are its interleave positions in the order written. A DIMM is in at
 * most one region and gives it all its persistent memory; a DIMM in no region is still on the bus.
 * All DIMMs of a region have a label area or none does.
 *
 * <p><b>Files</b>: with {@value #BACKING_FILE} backing, DIMM {@code i} of bus {@code emul.NAME} lives in
 * {@code <nvdimm.data>/media/emul.NAME/dimm<i>.img}: its persistent memory followed by its label
 * area, the layout of QEMU's {@code -device nvdimm,label-size=N}, so each file can also be attached
 * alone as an image. Missing files are created sparse; existing files are used when their size is
 * exactly DIMM size + label size, and refused otherwise. A DIMM with poison keeps its poison list
 * beside its file, in {@code dimm<i>.img.poison}, so poison survives a restart.
 *
 * <p>A bad configuration gives no bus and one log line ({@code SEVERE}, no stack trace) with an
 * {@code EINVAL} message that names the configuration and the problem, before any file is
 * created. So do DIMM files of the wrong size or in use by another process ({@code EBUSY}) and a
 * corrupt poison list. A changed configuration
 * takes the bus down (unregisters it, syncs and unmaps its media) and brings it up again.
 */
public final class EmulConfig {

    /** The factory PID of emulated buses. */
    public static final String FACTORY_PID = "nvdimm.emul";

    /** Property: the bus name; the provider name is {@link #PROVIDER_PREFIX} + this. */
    public static final String NAME = "name";
    /** Property: the number of DIMMs. */
    public static final String DIMMS = "dimms";
    /** Property: persistent memory per DIMM (a size). */
    public static final String DIMM_SIZE = "dimm.size";
    /** Property: label storage area size, one for all DIMMs or one per DIMM (sizes). */
    public static final String LABEL_SIZE = "label.size";
    /** Property: the regions ({@code 0+1:4096,2}). */
    public static final String REGIONS = "regions";
    /** Property: {@link #BACKING_FILE} or {@link #BACKING_MEMORY}. */
    public static final String BACKING = "backing";
    /** Property: the largest label transfer of one command. */
    public static final String LABEL_MAX_TRANSFER = "label.max.transfer";

    /** {@link #BACKING} value: one sparse file per DIMM under the data directory. */
    public static final String BACKING_FILE = "file";
    /** {@link #BACKING} value: volatile memory, lost when the bus goes. */
    public static final String BACKING_MEMORY = "memory";

    /** The framework property naming the data directory (the launcher sets it). */
    public static final String DATA_DIR_PROPERTY = "nvdimm.data";
    /** The folder of the data directory that holds one folder of DIMM files per bus. */
    public static final String MEDIA_DIR = "media";
    /** Every emulated provider's name starts with this. */
    public static final String PROVIDER_PREFIX = "emul.";
    /** The service property carrying the provider name on each registered {@code BusProvider}. */
    public static final String PROVIDER_PROPERTY = "nvdimm.provider";

    /** Most DIMMs on one emulated bus. */
    public static final int MAX_DIMMS = 64;
    /** Smallest label area (QEMU's {@code MIN_NAMESPACE_LABEL_SIZE}). */
    public static final long MIN_LABEL_SIZE = 128 * 1024;
    /** Default (and smallest) interleave granularity. */
    public static final long DEFAULT_GRANULARITY = 4096;
    /** Default largest label transfer of configured buses (nfit_test's 4 KiB). */
    public static final int DEFAULT_MAX_TRANSFER = 4096;
    /** The largest label transfer of image-mode DIMMs: QEMU's DSM buffer, 4096 - 12 - 8. */
    public static final int QEMU_MAX_TRANSFER = 4076;

    /** The file name the launcher gives the default configuration in {@code etc/}. */
    public static final String DEFAULT_CFG_FILE = "nvdimm.emul-default.cfg";

    /**
     * The default configuration, the exact content of {@link #DEFAULT_CFG_FILE}: like nfit_test, one
     * bus ({@code emul.default}) with a 2-way interleaved labeled region over DIMMs 0 and 1 and a
     * label-less region over DIMM 2, 256 MiB each, in sparse files.
     */
    public static final String DEFAULT_CFG = """
            # The default emulated NVDIMM bus (provider emul.default), like nfit_test's:
            # three DIMMs of 256 MiB in sparse files under <data>/media/emul.default/;
            # region 0 interleaves DIMMs 0 and 1 every 4 KiB and has 128 KiB label areas,
            # region 1 is DIMM 2 alone, without labels.
            dimms = 3
            dimm.size = 256M
            label.size = 128K,128K,0
            regions = 0+1:4096,2
            backing = file
            """;

    private EmulConfig() {
    }
}
