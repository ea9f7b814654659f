package nvdimm.bus;

/** How {@link Media#mapFile(java.nio.file.Path, long, MapOption...)} may change the file it maps. */
public enum MapOption {
    /**
     * Create the file when it does not exist, sparse and of the requested size. An existing file
     * is used as it is.
     */
    CREATE,
    /** Grow an existing file that is smaller than the requested size, sparsely. */
    EXTEND
}
