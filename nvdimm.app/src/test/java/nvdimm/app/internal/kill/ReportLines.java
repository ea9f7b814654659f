package nvdimm.app.internal.kill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads a child's {@link Report}: its complete lines (a kill may cut nothing, but a missing file is none). */
final class ReportLines {

    private ReportLines() {
    }

    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return Arrays.asList(text.substring(0, end).split("\n"));
    }

    static boolean started(Path file) throws IOException {
        return read(file).stream().anyMatch(l -> l.equals("S") || l.startsWith("S "));
    }
}
