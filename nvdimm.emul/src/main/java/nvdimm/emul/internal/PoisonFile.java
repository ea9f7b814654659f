package nvdimm.emul.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.bus.spi.ErrorRecord;

/**
 * One DIMM's poison list on disk, beside its media file ({@code dimm0.img.poison} beside
 * {@code dimm0.img}): real NVDIMM poison survives a reboot, so emulated poison survives a restart.
 * The file exists only while the DIMM has poison. Text, one range a line, DIMM physical address
 * and length in hexadecimal bytes; {@code #} starts a comment line.
 *
 * <p>Written crash-safe: the new list goes to a temporary file in the same folder, which is
 * synced and renamed over the old one, then the folder is synced; a crash leaves the old list or
 * the new one, never a mix. A file that does not parse, or names ranges outside the DIMM's
 * persistent memory, is refused with {@code EINVAL} naming the file and the line.
 */
final class PoisonFile {

    static final String SUFFIX = ".poison";
    private static final String HEADER = "# nvdimm poison list of %s: DIMM physical address and length in bytes (hex),"
            + " one range a line%n";

    private final Path file;
    private final Path media;
    private final long pmemSize;

    /**
     * @param media the DIMM's media file; the list lives beside it
     * @param pmemSize bytes of persistent memory on the DIMM: every range lies below it
     */
    PoisonFile(Path media, long pmemSize) {
        this.media = media;
        this.file = media.resolveSibling(media.getFileName() + SUFFIX);
        this.pmemSize = pmemSize;
    }

    Path path() {
        return file;
    }

    long pmemSize() {
        return pmemSize;
    }

    /** The ranges on disk, in the order written; none when there is no file. */
    List<ErrorRecord> load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new NvdimmException(ConfiguredBus.errnoOf(e), file + ": cannot read the poison list: "
                    + ConfiguredBus.errnoOf(e).strerror(), e);
        }
        List<ErrorRecord> ranges = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            ranges.add(parse(line, i + 1));
        }
        return ranges;
    }

    private ErrorRecord parse(String line, int number) {
        String[] fields = line.split("\\s+");
        if (fields.length != 2) {
            throw corrupt(number, "'" + line + "' is not an address and a length");
        }
        long address = hex(fields[0], number);
        long length = hex(fields[1], number);
        if (address < 0 || length <= 0 || address >= pmemSize || length > pmemSize - address) {
            throw corrupt(number, "range " + fields[0] + " + " + fields[1] + " is empty or outside the "
                    + pmemSize + " bytes of persistent memory of " + media.getFileName());
        }
        return new ErrorRecord(address, length);
    }

    private long hex(String field, int number) {
        if (!field.startsWith("0x") || field.length() == 2 || field.length() > 18) {
            throw corrupt(number, "'" + field + "' is not a hexadecimal number such as 0x1000");
        }
        try {
            return Long.parseUnsignedLong(field.substring(2), 16);
        } catch (NumberFormatException e) {
            throw corrupt(number, "'" + field + "' is not a hexadecimal number such as 0x1000");
        }
    }

    private NvdimmException corrupt(int line, String problem) {
        return new NvdimmException(Errno.EINVAL, file + ": line " + line + ": " + problem
                + "; the poison list is corrupt: repair or delete the file");
    }

    /** Replaces the list on disk with {@code ranges}; deletes the file when there are none. */
    void save(List<ErrorRecord> ranges) {
        try {
            if (ranges.isEmpty()) {
                if (Files.deleteIfExists(file)) {
                    syncFolder();
                }
                return;
            }
            StringBuilder text = new StringBuilder(String.format(HEADER, media.getFileName()));
            for (ErrorRecord r : ranges) {
                text.append("0x").append(Long.toHexString(r.address())).append(" 0x")
                        .append(Long.toHexString(r.length())).append('\n');
            }
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            syncFolder();
        } catch (IOException e) {
            Errno errno = ConfiguredBus.errnoOf(e);
            throw new NvdimmException(errno, file + ": cannot write the poison list: " + errno.strerror(), e);
        }
    }

    /** A rename or removal is durable only once the folder holding the entry is synced. */
    private void syncFolder() throws IOException {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
