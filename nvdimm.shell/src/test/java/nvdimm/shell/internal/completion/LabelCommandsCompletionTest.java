package nvdimm.shell.internal.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import nvdimm.shell.internal.cli.Usage;
import nvdimm.shell.internal.ndctl.LabelCommands;
import nvdimm.shell.internal.ndctl.TestBusAccess;
import nvdimm.namespace.internal.labels.LabelAreasComponent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tab completion learns the label commands' operands from their usage: DIMMs, files, label versions. */
class LabelCommandsCompletionTest {

    private final TestBusAccess bus = new TestBusAccess();
    private final LabelCommands labels = new LabelCommands(bus.core(), new LabelAreasComponent(bus.core()));

    @AfterEach
    void close() {
        bus.close();
    }

    private Usage usage(String name) {
        return labels.commands().usages().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void dimmsFilesAndVersionsAreCompleted() {
        assertEquals(OperandKind.Type.DIMM, CompletionCommands.kindAt(usage("init-labels"), List.of("init-labels", ""), 1).type());
        assertEquals(new OperandKind(OperandKind.Type.WORDS, List.of("1.1", "1.2"), false),
                CompletionCommands.kindAt(usage("init-labels"), List.of("init-labels", "-V", ""), 2));
        assertEquals(OperandKind.Type.FILE, CompletionCommands.kindAt(usage("read-labels"), List.of("read-labels", "-o", ""), 2).type());
        assertEquals(OperandKind.Type.FILE, CompletionCommands.kindAt(usage("write-labels"), List.of("write-labels", "--input", ""), 2).type());
    }
}
