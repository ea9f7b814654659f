package nvdimm.app.internal.kill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sector verifier passes what may survive a kill and catches every torn, lost or invented sector. */
class SectorLedgerTest {

    static final int SIZE = 520;
    static final int SECTORS = 8;

    @TempDir
    Path tmp;

    private final byte[] image = new byte[SIZE * SECTORS];

    private void put(long lba, long version) {
        byte[] s = new byte[SIZE];
        SectorPattern.fill(s, lba, version);
        System.arraycopy(s, 0, image, (int) lba * SIZE, SIZE);
    }

    private Path dump() throws IOException {
        return Files.write(tmp.resolve("dump.bin"), image);
    }

    private String failure(SectorLedger ledger) throws IOException {
        Path d = dump();
        return assertThrows(AssertionError.class, () -> ledger.verify(d, SIZE, SECTORS)).getMessage();
    }

    @Test
    void theAcknowledgedVersionOrAnInFlightNewerOnePasses() throws IOException {
        SectorLedger ledger = new SectorLedger();
        ledger.apply(List.of("S 8 520", "W 1 5", "A 1 5", "W 1 6", "W 2 7"));
        put(1, 6);
        ledger.verify(dump(), SIZE, SECTORS);
        put(1, 5);
        assertTrue(failure(ledger).contains("LBA 1: lost: reads version 5, version 6 was acknowledged"),
                "what was read back after a restart is the floor from then on");
    }

    @Test
    void anUnwrittenSectorReadsZerosAndAnInFlightWriteMayBeMissing() throws IOException {
        SectorLedger ledger = new SectorLedger();
        ledger.apply(List.of("W 3 9"));
        ledger.verify(dump(), SIZE, SECTORS);
        assertEquals(0, ledger.acknowledged());
    }

    @Test
    void aLostAcknowledgedWriteIsCaught() throws IOException {
        SectorLedger ledger = new SectorLedger();
        ledger.apply(List.of("W 4 3", "A 4 3"));
        assertTrue(failure(ledger).contains("LBA 4: lost: reads its initial zeros, version 3 was acknowledged"));
    }

    @Test
    void anOlderVersionThanTheAcknowledgedOneIsCaught() throws IOException {
        SectorLedger ledger = new SectorLedger();
        ledger.apply(List.of("W 4 3", "A 4 3", "W 4 8", "A 4 8"));
        put(4, 3);
        assertTrue(failure(ledger).contains("LBA 4: lost: reads version 3, version 8 was acknowledged"));
    }

    @Test
    void aTornSectorIsCaught() throws IOException {
        SectorLedger ledger = new SectorLedger();
        ledger.apply(List.of("W 2 3", "A 2 3", "W 2 4"));
        put(2, 4);
        byte[] old = new byte[SIZE];
        SectorPattern.fill(old, 2, 3);
        System.arraycopy(old, SIZE / 2, image, 2 * SIZE + SIZE / 2, SIZE / 2); // half of each version
        assertTrue(failure(ledger).contains("LBA 2: torn: checksum mismatch"));
    }

    @Test
    void aSectorOfAnotherLbaOrAVersionNeverWrittenIsCaught() throws IOException {
        SectorLedger ledger = new SectorLedger();
        put(5, 1);
        System.arraycopy(image, 5 * SIZE, image, 6 * SIZE, SIZE); // LBA 6 holds LBA 5's sector
        String message = failure(ledger);
        assertTrue(message.contains("LBA 5: unexpected version 1"), message);
        assertTrue(message.contains("LBA 6: torn: holds LBA 5"), message);
    }

    @Test
    void aWriterFailureInTheReportFails() {
        assertThrows(AssertionError.class, () -> new SectorLedger().apply(List.of("E java.io.IOException")));
    }
}
