package nvdimm.bus.spi;

/**
 * A DIMM's SMART health, as {@code ndctl list -DH} shows it.
 *
 * @param healthState {@code "ok"}, {@code "non-critical"}, {@code "critical"} or {@code "fatal"}
 * @param temperatureCelsius media temperature
 * @param sparesPercentage spare capacity left
 * @param lifeUsedPercentage estimated life used
 * @param shutdownState {@code "clean"} or {@code "dirty"}
 */
public record DimmHealth(String healthState, double temperatureCelsius, int sparesPercentage,
        int lifeUsedPercentage, String shutdownState) {
}
