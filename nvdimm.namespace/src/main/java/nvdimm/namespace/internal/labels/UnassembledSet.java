package nvdimm.namespace.internal.labels;

import java.util.Optional;
import java.util.UUID;

/**
 * Labels of a uuid that do not make a namespace on this region (a missing position, a bad cookie, an
 * extent outside its mapping, DPAs that disagree between DIMMs...).
 *
 * @param uuid the uuid the labels carry
 * @param name the name of the position-0 label, if any
 * @param size the sum of the labels found
 * @param reason why, e.g. {@code "missing label for position 1 (nmem1)"}
 */
public record UnassembledSet(UUID uuid, Optional<String> name, long size, String reason) {
}
