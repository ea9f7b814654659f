package nvdimm.bus;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import nvdimm.bus.internal.FileMapping;
import nvdimm.bus.internal.MemoryMedium;

/**
 * Opens {@link Medium}s: memory, a memory-mapped file, or a file on a DAX file system mapped
 * synchronously.
 *
 * <p>A mapped file is mapped shared, so its stores land in the operating system's page cache and
 * reach the file; {@link Medium#close()} unmaps it at once. A file this class creates or extends
 * is sparse: no block is written for the new range, which reads as zeros. Creating or extending
 * a file is made durable before the medium is returned: the file and its directory are synced.
 * A call that fails leaves the file system as it was: a file it created is removed again, a file
 * it extended is cut back to its old size.
 */
public final class Media {

    private Media() {
    }

    /**
     * A zero-filled volatile medium in memory, for tests and benchmarks.
     *
     * @param name the name errors use for the medium
     * @param size the size in bytes, greater than 0
     * @throws NvdimmException EINVAL for a size of 0 or less, ENOMEM when the memory is not there
     */
    public static Medium memory(String name, long size) {
        return MemoryMedium.allocate(name, size);
    }

    /**
     * A part of {@code medium}: offset 0 of the slice is {@code offset} of the medium. Accesses are checked
     * against the part (ENXIO past its end, messages naming {@code name}) and forwarded; atomicity,
     * persistence and errors are the medium's (an atomic access must be aligned in the medium too). Closing
     * the slice refuses its later accesses and leaves the medium open; closing the medium fails the slice's.
     *
     * @throws NvdimmException EINVAL for a negative or not 8-byte aligned offset or a size of 0 or less, ENXIO
     *     for a part past the medium's end
     */
    public static Medium slice(Medium medium, String name, long offset, long size) {
        return new nvdimm.bus.internal.SliceMedium(Objects.requireNonNull(medium, "medium"), name, offset, size);
    }

    /**
     * Maps the first {@code size} bytes of a file, read-write and shared. Persisted stores survive
     * a crash of the process; {@link Medium#sync()} makes them survive a crash of the host.
     *
     * @param path the file; its string form is the medium's name
     * @param size bytes to map, greater than 0
     * @param options {@link MapOption#CREATE} to create a missing file, {@link MapOption#EXTEND}
     *     to grow a smaller one
     * @throws NvdimmException EINVAL for a size of 0 or less, or a file smaller than {@code size}
     *     without EXTEND; ENOENT for a missing file without CREATE; EACCES, EROFS, ENOSPC, EISDIR
     *     as the file system reports them; ENOMEM when the mapping fails
     */
    public static Medium mapFile(Path path, long size, MapOption... options) {
        return FileMapping.open(path, size, optionSet(options), false);
    }

    /**
     * Maps an existing file whole; see {@link #mapFile(Path, long, MapOption...)}.
     *
     * @throws NvdimmException ENOENT for a missing file, EINVAL for an empty one
     */
    public static Medium mapFile(Path path) {
        return FileMapping.openWhole(path);
    }

    /**
     * Maps a file on a DAX file system synchronously ({@code MAP_SYNC}), so that
     * {@link Medium#persist(long, long)} is a CPU cache write-back that survives a power failure.
     *
     * @param path the file; its string form is the medium's name
     * @param size bytes to map, greater than 0
     * @param options as for {@link #mapFile(Path, long, MapOption...)}
     * @throws NvdimmException EOPNOTSUPP when the file system is not DAX-capable (map the file as a
     *     plain file then) or the runtime does not offer synchronous mappings; otherwise as
     *     {@link #mapFile(Path, long, MapOption...)}
     */
    public static Medium mapDax(Path path, long size, MapOption... options) {
        return FileMapping.open(path, size, optionSet(options), true);
    }

    private static Set<MapOption> optionSet(MapOption... options) {
        Set<MapOption> set = EnumSet.noneOf(MapOption.class);
        for (MapOption option : options) {
            set.add(Objects.requireNonNull(option, "option"));
        }
        return set;
    }
}
