package nvdimm.btt.internal.format;

/**
 * A lane's free-list entry as rebuilt at load ({@code struct free_entry}): the spare block the lane's next
 * write goes to, the sub-entry its log write overwrites (the older one) and the seq it writes.
 *
 * @param lane the lane
 * @param block the free block, flags stripped
 * @param sub the sub-entry (0 or 1, in {@link LogIndices} order) the next log write goes to
 * @param seq the seq of that write
 * @param hasError whether the block is known bad (the newer entry's {@code old_map} carries E but is not a
 *     normal entry): it must be cleared (written with zeros) before use
 */
public record FreeLane(int lane, long block, int sub, int seq, boolean hasError) {
}
