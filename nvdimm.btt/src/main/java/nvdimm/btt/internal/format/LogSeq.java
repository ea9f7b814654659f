package nvdimm.btt.internal.format;

/**
 * Log sequence numbers: 1, 2, 3, then 1 again; 0 means never written ({@code nd_inc_seq}). Of a lane's two
 * live slots, the newer is the one whose seq follows the other's ({@link #older}).
 */
public final class LogSeq {

    private LogSeq() {
    }

    /** The seq after {@code seq}: 1→2, 2→3, 3→1, 0→0; -1 for any other value (no such seq). */
    public static int next(int seq) {
        return switch (seq) {
            case 0 -> 0;
            case 1 -> 2;
            case 2 -> 3;
            case 3 -> 1;
            default -> -1;
        };
    }

    /**
     * Which of a lane's two live slots is the older ({@code btt_log_get_old}), given their seqs in
     * {@link LogIndices} order: 0 for the first, 1 for the second, -1 for corruption (Linux: "log corruption",
     * EIO). A first slot with seq 0 is a lane never used: it is the older whatever the second holds. Equal seqs,
     * or seqs summing to more than 5, are corruption. Otherwise the smaller seq is older when they differ by 1,
     * the larger when they differ by more (3 is older than 1: the seq wrapped).
     */
    public static int older(int seqFirst, int seqSecond) {
        if (seqFirst == 0) {
            return 0;
        }
        if (seqFirst == seqSecond || Integer.toUnsignedLong(seqFirst) + Integer.toUnsignedLong(seqSecond) > 5) {
            return -1;
        }
        if (seqFirst < seqSecond) {
            return seqSecond - seqFirst == 1 ? 0 : 1;
        }
        return seqFirst - seqSecond == 1 ? 1 : 0;
    }
}
