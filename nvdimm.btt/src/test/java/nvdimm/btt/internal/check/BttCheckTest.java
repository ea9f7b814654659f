package nvdimm.btt.internal.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Finding;
import nvdimm.btt.check.Verdict;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttLayout;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.MapEntry;

class BttCheckTest {

    static List<Finding> damage(CheckReport r) {
        return r.findings().stream().filter(f -> f.status() != Finding.Status.NOTE).toList();
    }

    static ArenaGeometry arena0(CheckFixture f) {
        return BttLayout.plan(f.medium.size() - f.bttStart(), f.lbasize).arenas().getFirst();
    }

    /** Every written sector reads back as written, through the engine. */
    static void readsBack(CheckFixture f) {
        Btt btt = f.load();
        for (long lba : f.written) {
            byte[] got = new byte[f.lbasize];
            btt.read(lba, MemorySegment.ofArray(got));
            assertArrayEquals(f.expected(lba), got, "LBA " + lba);
        }
        assertEquals(List.of(), btt.consistencyProblems());
    }

    /** Without repair the bytes stay; with repair the damage goes and a re-check is clean. */
    static CheckReport checkThenRepair(CheckFixture f, Finding.Check expected) {
        byte[] before = f.bytes();
        CheckReport dry = f.check(CheckOptions.CHECK);
        assertEquals(Verdict.DAMAGED, dry.verdict(), dry.toString());
        assertTrue(damage(dry).stream().anyMatch(x -> x.check() == expected && x.status() == Finding.Status.NEEDS_REPAIR),
                dry.toString());
        assertArrayEquals(before, f.bytes(), "a check without --repair wrote to the medium");
        CheckReport fixed = f.check(CheckOptions.REPAIR);
        assertEquals(Verdict.REPAIRED, fixed.verdict(), fixed.toString());
        CheckReport again = f.check(CheckOptions.CHECK);
        assertEquals(Verdict.CONSISTENT, again.verdict(), again.toString());
        return fixed;
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 520, 528, 4096, 4104, 4160, 4224})
    void aCleanBttIsConsistentAtEverySectorSize(int lbasize) {
        for (BttVersion v : BttVersion.values()) {
            CheckFixture f = new CheckFixture(v, lbasize);
            CheckReport r = f.check(CheckOptions.CHECK);
            assertEquals(Verdict.CONSISTENT, r.verdict(), r.toString());
            assertEquals(v.major() + "." + v.minor(), r.version().orElseThrow());
            boolean rounded = SectorSizesView.internal(lbasize) != lbasize;
            assertEquals(rounded, r.findings().stream().anyMatch(x -> x.message().contains("ndctl refuses")),
                    r.toString());
        }
    }

    @Test
    void aDamagedFirstInfoBlockIsRebuiltFromItsBackup() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 4096);
        f.medium.write(f.bttStart() + 100, new byte[] {0x55});
        CheckReport fixed = checkThenRepair(f, Finding.Check.INFO);
        assertTrue(fixed.findings().getFirst().message().contains("backup info block of arena 0"), fixed.toString());
        readsBack(f);
    }

    @Test
    void aV2BttDamagedAtOffsetZeroIsFoundAgain() {
        CheckFixture f = new CheckFixture(BttVersion.V2_0, 512);
        f.medium.write(0, new byte[16]); // the signature
        checkThenRepair(f, Finding.Check.INFO);
        readsBack(f);
    }

    @Test
    void theBackupAtTheDamagedPrimarysInfo2offIsTheThirdAttempt() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        // move info2 elsewhere is impossible for a real BTT: instead damage the expected backup and point the
        // damaged primary's info2off at a copy of the good block placed in the data area
        byte[] good = new byte[InfoBlock.SIZE];
        f.medium.read(f.bttStart(), good);
        long spare = g.dataOff() + 4096L * 7; // an unwritten data block
        f.medium.write(f.bttStart() + spare, good);
        byte[] damaged = good.clone();
        damaged[0] ^= 1;
        java.nio.ByteBuffer.wrap(damaged).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(112, spare);
        f.medium.write(f.bttStart(), damaged);
        f.medium.write(f.bttStart() + g.info2Offset() + 1, new byte[] {0x77});
        CheckReport dry = f.check(CheckOptions.CHECK);
        assertTrue(dry.findings().getFirst().message().contains("info2off " + spare), dry.toString());
    }

    @Test
    void zerosAreNoBtt() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        byte[] zeros = new byte[(int) f.medium.size()];
        f.medium.write(0, zeros);
        CheckReport r = f.check(CheckOptions.REPAIR);
        assertEquals(Verdict.DAMAGED, r.verdict());
        assertTrue(r.findings().getFirst().message().contains("may not be a sector mode namespace"), r.toString());
        assertArrayEquals(zeros, f.bytes());
    }

    @Test
    void aDamagedInfo2IsRestoredFromThePrimary() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        f.medium.write(f.bttStart() + arena0(f).info2Offset() + 200, new byte[] {1, 2, 3});
        checkThenRepair(f, Finding.Check.INFO2);
        readsBack(f);
    }

    @Test
    void aMapUpdateCutOffAfterTheLogCommitIsRolledForward() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        long at = f.bttStart() + g.mapEntryOffset(1000);
        int before = f.medium.readInt(at);
        Btt btt = f.load();
        byte[] next = f.pattern(1000, 5);
        btt.write(1000, MemorySegment.ofArray(next));
        btt.close();
        f.medium.writeInt(at, before); // the map update never landed
        CheckReport fixed = checkThenRepair(f, Finding.Check.LOG_MAP);
        Finding rolled = fixed.findings().stream().filter(x -> x.check() == Finding.Check.LOG_MAP).findFirst()
                .orElseThrow();
        assertEquals(1000, rolled.lba());
        byte[] got = new byte[512];
        f.load().read(1000, MemorySegment.ofArray(got));
        assertArrayEquals(next, got);
    }

    @Test
    void anOutOfBoundsMapEntryIsUnrepairable() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        f.medium.writeInt(f.bttStart() + g.mapEntryOffset(5), MapEntry.normal(g.internalNlba() + 3));
        CheckReport r = f.check(CheckOptions.REPAIR);
        assertEquals(Verdict.DAMAGED, r.verdict());
        Finding m = damage(r).getFirst();
        assertEquals(Finding.Check.MAP, m.check());
        assertEquals(5, m.lba());
        assertEquals(Finding.Status.UNREPAIRABLE, m.status());
    }

    @Test
    void aDoublyReferencedBlockIsABitmapError() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        f.medium.writeInt(f.bttStart() + g.mapEntryOffset(5), MapEntry.normal(6));
        CheckReport r = f.check(CheckOptions.REPAIR);
        assertEquals(Verdict.DAMAGED, r.verdict());
        assertEquals(Finding.Check.BITMAP, damage(r).getFirst().check());
        assertTrue(damage(r).getFirst().message().contains("bitmap error"), r.toString());
    }

    @Test
    void equalSequenceNumbersAreLogDamage() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        long group = f.bttStart() + g.logGroupOffset(3);
        int seq0 = f.medium.readInt(group + 12);
        f.medium.writeInt(group + 16 + 12, seq0);
        CheckReport r = f.check(CheckOptions.REPAIR);
        assertEquals(Verdict.DAMAGED, r.verdict());
        Finding l = damage(r).getFirst();
        assertEquals(Finding.Check.LOG, l.check());
        assertEquals(3, l.lane());
        assertTrue(l.message().contains("same sequence number"), l.message());
    }

    @Test
    void theErrorFlagAborts() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        byte[] block = new byte[InfoBlock.SIZE];
        f.medium.read(f.bttStart(), block);
        InfoBlock info = InfoBlock.decode(block);
        InfoBlock flagged = new InfoBlock(info.uuid(), info.parentUuid(), InfoBlock.FLAG_ERROR, info.versionMajor(),
                info.versionMinor(), info.externalLbaSize(), info.externalNlba(), info.internalLbaSize(),
                info.internalNlba(), info.nfree(), info.infoSize(), info.nextOff(), info.dataOff(), info.mapOff(),
                info.logOff(), info.info2Off(), 0).sealed();
        f.medium.write(f.bttStart(), flagged.toBytes());
        CheckReport r = f.check(CheckOptions.REPAIR);
        assertEquals(Verdict.DAMAGED, r.verdict());
        assertTrue(damage(r).getFirst().message().contains("error flag is set"), r.toString());
    }

    @Test
    void rewriteLogConvertsTheOldPaddingLayout() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        // move every lane's slot 1 to slot 2: the pre-4.15 (0,2) layout
        for (int lane = 0; lane < g.nfree(); lane++) {
            long group = f.bttStart() + g.logGroupOffset(lane);
            byte[] slot1 = new byte[16];
            f.medium.read(group + 16, slot1);
            f.medium.write(group + 32, slot1);
            f.medium.write(group + 16, new byte[16]);
        }
        CheckReport before = f.check(CheckOptions.CHECK);
        assertEquals(Verdict.CONSISTENT, before.verdict(), before.toString());
        CheckReport rewritten = f.check(new CheckOptions(true, true));
        assertEquals(Verdict.CONSISTENT, rewritten.verdict(), rewritten.toString());
        assertTrue(rewritten.findings().stream().anyMatch(x -> x.check() == Finding.Check.REWRITE_LOG));
        for (int lane = 0; lane < g.nfree(); lane++) {
            byte[] group = new byte[64];
            f.medium.read(f.bttStart() + g.logGroupOffset(lane), group);
            assertArrayEquals(new byte[48], java.util.Arrays.copyOfRange(group, 16, 64), "lane " + lane);
            assertEquals(1, group[12], "lane " + lane + "'s slot 0 has seq 1");
        }
        assertEquals(Verdict.CONSISTENT, f.check(CheckOptions.CHECK).verdict());
        readsBack(f);
    }

    /** Rewrites the primary and backup info blocks of arena 0 with a changed field, sealed (valid checksums). */
    static void reseal(CheckFixture f, java.util.function.UnaryOperator<InfoBlock> change) {
        byte[] block = new byte[InfoBlock.SIZE];
        f.medium.read(f.bttStart(), block);
        byte[] changed = change.apply(InfoBlock.decode(block)).sealed().toBytes();
        f.medium.write(f.bttStart(), changed);
        f.medium.write(f.bttStart() + arena0(f).info2Offset(), changed);
    }

    static InfoBlock with(InfoBlock i, long nfree, long internalLbaSize) {
        return new InfoBlock(i.uuid(), i.parentUuid(), i.flags(), i.versionMajor(), i.versionMinor(),
                i.externalLbaSize(), i.externalNlba(), internalLbaSize, i.internalNlba(), nfree, i.infoSize(),
                i.nextOff(), i.dataOff(), i.mapOff(), i.logOff(), i.info2Off(), 0);
    }

    static Finding firstDamage(CheckReport r) {
        return damage(r).stream().findFirst().orElseThrow(() -> new AssertionError("no damage in " + r));
    }

    @Test
    void aDryRunGoesOnAsIfRepairedSoARollForwardIsNotAlsoABitmapError() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        long at = f.bttStart() + arena0(f).mapEntryOffset(1000);
        int before = f.medium.readInt(at);
        Btt btt = f.load();
        btt.write(1000, MemorySegment.ofArray(f.pattern(1000, 9)));
        btt.close();
        f.medium.writeInt(at, before);
        CheckReport dry = f.check(CheckOptions.CHECK);
        assertEquals(1, damage(dry).size(), dry.toString());
        assertEquals(Finding.Check.LOG_MAP, firstDamage(dry).check());
        assertEquals(Finding.Status.NEEDS_REPAIR, firstDamage(dry).status());
    }

    @Test
    void aSequenceNumberAboveThreeIsLogDamage() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        f.medium.writeInt(f.bttStart() + arena0(f).logGroupOffset(11) + 16 + 12, 5);
        Finding d = firstDamage(f.check(CheckOptions.REPAIR));
        assertEquals(Finding.Check.LOG, d.check());
        assertEquals(11, d.lane());
        assertTrue(d.message().contains("out of bounds sequence number [1, 5]") || d.message().contains("[2, 5]")
                || d.message().contains("out of bounds sequence number"), d.message());
    }

    @Test
    void outOfBoundsOldAndNewMappingsAreLogDamageButAnErrorFlagIsOnlyANote() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        long slot0 = f.bttStart() + g.logGroupOffset(20); // a fresh lane: slot 0 is the newer entry
        f.medium.writeInt(slot0 + 8, (int) g.internalNlba() + 1);
        Finding n = firstDamage(f.check(CheckOptions.CHECK));
        assertTrue(n.message().contains("out of bounds 'new' mapping"), n.message());

        CheckFixture o = new CheckFixture(BttVersion.V1_1, 512);
        long slot = o.bttStart() + g.logGroupOffset(20);
        int oldMap = o.medium.readInt(slot + 4);
        o.medium.writeInt(slot + 4, (int) g.internalNlba() + 1);
        assertTrue(firstDamage(o.check(CheckOptions.CHECK)).message().contains("out of bounds 'old' mapping"));

        o.medium.writeInt(slot + 4, oldMap | MapEntry.E_FLAG); // a remapped media error: fine, but ndctl says no
        CheckReport r = o.check(CheckOptions.CHECK);
        assertEquals(Verdict.CONSISTENT, r.verdict(), r.toString());
        assertTrue(r.findings().stream().anyMatch(x -> x.status() == Finding.Status.NOTE && x.lane() == 20
                && x.message().contains("E flag")), r.toString());
    }

    @Test
    void manyBadMapEntriesAreListedUpToALimitThenCounted() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        ArenaGeometry g = arena0(f);
        for (int i = 0; i < 20; i++) {
            f.medium.writeInt(f.bttStart() + g.mapEntryOffset(3000 + i), MapEntry.normal(g.internalNlba() + i));
        }
        CheckReport r = f.check(CheckOptions.CHECK);
        List<Finding> map = damage(r).stream().filter(x -> x.check() == Finding.Check.MAP).toList();
        assertEquals(17, map.size(), r.toString());
        assertEquals(3000, map.getFirst().lba());
        assertTrue(map.getLast().message().startsWith("20 map entries are out of bounds in all"), map.getLast().message());
    }

    @Test
    void info2offWithHighBitsIsReadWholeAndANoteSaysWhereNdctlWouldLook() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        byte[] block = new byte[InfoBlock.SIZE];
        f.medium.read(f.bttStart(), block);
        block[0] ^= 1;
        long info2off = arena0(f).info2Off();
        java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(112, info2off | 1L << 32);
        f.medium.write(f.bttStart(), block);
        f.medium.write(f.bttStart() + arena0(f).info2Offset(), new byte[8]); // attempt 1 fails too
        CheckReport r = f.check(CheckOptions.CHECK);
        Finding note = r.findings().getFirst();
        assertEquals(Finding.Status.NOTE, note.status(), r.toString());
        assertTrue(note.message().contains("ndctl would look at offset " + (f.bttStart() + info2off)), note.message());
        assertTrue(r.findings().stream().anyMatch(x -> x.message().contains("may not be a sector mode")), r.toString());
    }

    @Test
    void anNfreeThatIsNotTheDifferenceOfTheBlockCountsIsUnrepairable() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        reseal(f, i -> with(i, 255, i.internalLbaSize()));
        Finding d = firstDamage(f.check(CheckOptions.REPAIR));
        assertEquals(Finding.Check.META, d.check());
        assertTrue(d.message().contains("is not nfree 255"), d.message());
    }

    @Test
    void anInternalBlockSizeLinuxWouldNotChooseIsUnrepairable() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 520);
        reseal(f, i -> with(i, i.nfree(), 640));
        Finding d = firstDamage(f.check(CheckOptions.REPAIR));
        assertEquals(Finding.Check.META, d.check());
        assertTrue(d.message().contains("internal_lbasize 640 is not external_lbasize 520 rounded up"), d.message());
    }

    @Test
    void aLaneWithThreeLiveSlotsLeavesTheLogLayoutUndeducible() {
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        long group = f.bttStart() + arena0(f).logGroupOffset(0);
        byte[] slot = new byte[16];
        f.medium.read(group, slot);
        f.medium.write(group + 32, slot);
        f.medium.write(group + 48, slot);
        Finding d = firstDamage(f.check(CheckOptions.REPAIR));
        assertEquals(Finding.Check.LOG_INDICES, d.check());
        assertTrue(d.message().startsWith("Unable to deduce log/padding indices"), d.message());
    }

    @Test
    void boundsAreExclusiveAtTheBlockAndLbaCounts() {
        ArenaGeometry g = arena0(new CheckFixture(BttVersion.V1_1, 512));
        Object[][] cases = {{8, (int) g.internalNlba(), "'new' mapping"}, {4, (int) g.internalNlba(), "'old' mapping"},
                {0, (int) g.externalNlba(), "out of bounds LBA"}};
        for (Object[] c : cases) {
            CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
            f.medium.writeInt(f.bttStart() + g.logGroupOffset(30) + (int) c[0], (int) c[1]);
            Finding d = firstDamage(f.check(CheckOptions.CHECK));
            assertTrue(d.message().contains((String) c[2]), d.message());
        }
        CheckFixture f = new CheckFixture(BttVersion.V1_1, 512);
        f.medium.writeInt(f.bttStart() + g.mapEntryOffset(4000), MapEntry.normal(g.internalNlba()));
        assertEquals(Finding.Check.MAP, firstDamage(f.check(CheckOptions.CHECK)).check());
        CheckFixture last = new CheckFixture(BttVersion.V1_1, 512);
        last.medium.writeInt(last.bttStart() + g.mapEntryOffset(4000), MapEntry.normal(g.internalNlba() - 1));
        assertEquals(Finding.Check.BITMAP, firstDamage(last.check(CheckOptions.CHECK)).check(),
                "the last block is in bounds: only the bitmap minds it (a spare block mapped twice)");
    }

    /** The engine's view of internal sizes, without the production helper. */
    static final class SectorSizesView {
        static int internal(int lbasize) {
            return (lbasize + 63) / 64 * 64;
        }
    }
}
