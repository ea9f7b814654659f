package nvdimm.btt.check;

/**
 * What a check may do.
 *
 * @param repair ndctl's {@code --repair}: write the repairs (without it nothing is written)
 * @param rewriteLog ndctl's {@code --rewrite-log}: rewrite every lane's log group in the current (0,1) layout;
 *     needs {@code repair}
 */
public record CheckOptions(boolean repair, boolean rewriteLog) {
    /** Read only. */
    public static final CheckOptions CHECK = new CheckOptions(false, false);
    /** Check and repair. */
    public static final CheckOptions REPAIR = new CheckOptions(true, false);

    public CheckOptions {
        if (rewriteLog && !repair) {
            throw new nvdimm.bus.NvdimmException(nvdimm.bus.Errno.EINVAL,
                    "--rewrite-log needs --repair: rewriting the log writes every lane's log group");
        }
    }
}
