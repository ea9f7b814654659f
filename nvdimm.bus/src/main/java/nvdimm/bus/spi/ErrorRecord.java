package nvdimm.bus.spi;

/**
 * A poisoned range of system physical addresses, as address range scrub reports it.
 *
 * @param address the first poisoned byte (SPA)
 * @param length how many bytes
 */
public record ErrorRecord(long address, long length) {

    public ErrorRecord {
        if (address < 0 || length <= 0) {
            throw new IllegalArgumentException("error record at " + address + ": length must be positive");
        }
    }
}
