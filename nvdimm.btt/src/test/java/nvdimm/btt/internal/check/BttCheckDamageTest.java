package nvdimm.btt.internal.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Finding;
import nvdimm.btt.check.Verdict;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LogEntry;
import nvdimm.btt.internal.format.LogGroup;
import nvdimm.btt.internal.format.LogIndices;
import nvdimm.btt.internal.format.LogSeq;
import nvdimm.btt.internal.format.MapEntry;

/**
 * Each damage of the spec's check list, on BTTs made here and on the ones a Linux kernel wrote: the check
 * without {@code --repair} finds it and writes nothing; a repairable one is repaired, a re-check is clean and
 * every known sector reads back unchanged; an unrepairable one is reported as such and even {@code --repair}
 * writes nothing.
 */
class BttCheckDamageTest {

    static Stream<DamageSubject> subjects() {
        return Stream.of(DamageSubject.madeHere(BttVersion.V1_1, 512), DamageSubject.madeHere(BttVersion.V2_0, 4096),
                DamageSubject.madeHere(BttVersion.V1_1, 520),
                DamageSubject.linux("kernel-btt-512"), DamageSubject.linux("kernel-btt-labeled-v1.1-512"),
                DamageSubject.linux("kernel-btt-labeled-v1.2-4096"));
    }

    /** A repairable damage: found without writing, repaired, re-checked clean, every known sector intact. */
    static void repairable(DamageSubject s, Finding.Check expected, Consumer<DamageSubject> damage) {
        assertEquals(Verdict.CONSISTENT, s.check(CheckOptions.CHECK).verdict(), s + " before the damage");
        damage.accept(s);
        byte[] damaged = s.bytes();
        CheckReport dry = s.check(CheckOptions.CHECK);
        assertEquals(Verdict.DAMAGED, dry.verdict(), s + ": " + dry);
        assertTrue(dry.findings().stream().anyMatch(f -> f.check() == expected
                && f.status() == Finding.Status.NEEDS_REPAIR), s + ": " + dry);
        assertArrayEquals(damaged, s.bytes(), s + ": a check without --repair wrote");
        CheckReport fixed = s.check(CheckOptions.REPAIR);
        assertEquals(Verdict.REPAIRED, fixed.verdict(), s + ": " + fixed);
        CheckReport again = s.check(CheckOptions.CHECK);
        assertEquals(Verdict.CONSISTENT, again.verdict(), s + " after the repair: " + again);
        assertEquals(List.of(), s.changedSectors(), s + ": sectors changed by the damage and its repair");
    }

    /** An unrepairable damage: reported, and even a repair writes nothing. */
    static void unrepairable(DamageSubject s, Finding.Check expected, String words, Consumer<DamageSubject> damage) {
        damage.accept(s);
        byte[] damaged = s.bytes();
        CheckReport r = s.check(CheckOptions.REPAIR);
        assertEquals(Verdict.DAMAGED, r.verdict(), s + ": " + r);
        Finding f = r.findings().stream().filter(x -> x.status() == Finding.Status.UNREPAIRABLE).findFirst()
                .orElseThrow(() -> new AssertionError(s + ": " + r));
        assertEquals(expected, f.check(), s + ": " + r);
        assertTrue(f.message().contains(words), s + ": " + f.message());
        assertArrayEquals(damaged, s.bytes(), s + ": an unrepairable image was written");
    }

    /** The newer entry of each lane of arena 0, with its group's offset. */
    record Lane(int lane, long group, LogEntry newer, LogIndices indices) {
    }

    static List<Lane> lanes(DamageSubject s) {
        ArenaGeometry g = s.arena0();
        byte[] log = new byte[g.nfree() * LogGroup.SIZE];
        s.namespace().read(s.bttStart() + g.logGroupOffset(0), log);
        List<LogGroup> groups = new java.util.ArrayList<>();
        for (int i = 0; i < g.nfree(); i++) {
            groups.add(LogGroup.decode(log, i * LogGroup.SIZE));
        }
        LogIndices indices = LogIndices.detect(groups, s.name());
        List<Lane> out = new java.util.ArrayList<>();
        for (int i = 0; i < g.nfree(); i++) {
            LogEntry a = groups.get(i).slot(indices.first());
            LogEntry b = groups.get(i).slot(indices.second());
            out.add(new Lane(i, s.bttStart() + g.logGroupOffset(i), LogSeq.older(a.seq(), b.seq()) == 0 ? b : a,
                    indices));
        }
        return out;
    }

    /** An LBA no known sector uses, for damage that must not touch known data. */
    static long unknownLba(DamageSubject s) {
        long lba = s.arena0().externalNlba() - 1;
        while (s.sectors().containsKey(lba)) {
            lba--;
        }
        return lba;
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void theFirstInfoBlockIsRebuiltFromItsBackup(DamageSubject s) {
        repairable(s, Finding.Check.INFO, x -> x.namespace().write(x.bttStart() + 60, new byte[] {(byte) 0xee}));
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void aDifferingInfo2IsRestored(DamageSubject s) {
        repairable(s, Finding.Check.INFO2, x -> x.namespace().write(x.bttStart() + x.arena0().info2Offset() + 3000,
                new byte[] {1}));
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void aMapUpdateLostAfterItsLogEntryIsRolledForward(DamageSubject s) {
        repairable(s, Finding.Check.LOG_MAP, x -> {
            ArenaGeometry g = x.arena0();
            for (Lane l : lanes(x)) {
                int oldBlock = MapEntry.block(l.newer().oldMap());
                long lba = Integer.toUnsignedLong(l.newer().lba());
                long at = x.bttStart() + g.mapEntryOffset(lba);
                if (oldBlock != l.newer().newMap() && MapEntry.postMap(x.namespace().readInt(at), lba)
                        == Integer.toUnsignedLong(l.newer().newMap())) {
                    x.namespace().writeInt(at, MapEntry.normal(oldBlock));
                    return;
                }
            }
            throw new AssertionError(x + ": no lane has a write to undo");
        });
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void equalSequenceNumbersAreUnrepairableLogDamage(DamageSubject s) {
        unrepairable(s, Finding.Check.LOG, "same sequence number", x -> {
            Lane l = lanes(x).get(7);
            int seq = x.namespace().readInt(l.group() + l.indices().first() * 16L + 12);
            x.namespace().writeInt(l.group() + l.indices().second() * 16L + 12, seq == 0 ? 1 : seq);
            if (seq == 0) {
                x.namespace().writeInt(l.group() + l.indices().first() * 16L + 12, 1);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void aLogEntryNamingAnLbaPastTheArenaIsUnrepairable(DamageSubject s) {
        unrepairable(s, Finding.Check.LOG, "out of bounds LBA", x -> {
            Lane l = lanes(x).get(9);
            long slot = l.group() + (l.newer() == null ? 0 : slotOf(x, l)) * 16L;
            x.namespace().writeInt(slot, (int) x.arena0().externalNlba() + 1);
        });
    }

    private static int slotOf(DamageSubject x, Lane l) {
        LogGroup g = LogGroup.read(x.namespace(), l.group());
        return g.slot(l.indices().first()).equals(l.newer()) ? l.indices().first() : l.indices().second();
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void aMapEntryPastTheArenaIsUnrepairable(DamageSubject s) {
        unrepairable(s, Finding.Check.MAP, "out of bounds", x -> {
            ArenaGeometry g = x.arena0();
            x.namespace().writeInt(x.bttStart() + g.mapEntryOffset(unknownLba(x)),
                    MapEntry.normal(g.internalNlba() + 9));
        });
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void aBlockMappedTwiceIsABitmapError(DamageSubject s) {
        unrepairable(s, Finding.Check.BITMAP, "incorrectly referenced", x -> {
            ArenaGeometry g = x.arena0();
            long lba = unknownLba(x);
            long other = lba - 1;
            long block = MapEntry.postMap(x.namespace().readInt(x.bttStart() + g.mapEntryOffset(other)), other);
            x.namespace().writeInt(x.bttStart() + g.mapEntryOffset(lba), MapEntry.normal(block));
        });
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void theInfoBlockErrorFlagAborts(DamageSubject s) {
        unrepairable(s, Finding.Check.META, "error flag is set", x -> {
            ArenaGeometry g = x.arena0();
            byte[] block = new byte[InfoBlock.SIZE];
            x.namespace().read(x.bttStart(), block);
            InfoBlock i = InfoBlock.decode(block);
            byte[] flagged = new InfoBlock(i.uuid(), i.parentUuid(), i.flags() | InfoBlock.FLAG_ERROR,
                    i.versionMajor(), i.versionMinor(), i.externalLbaSize(), i.externalNlba(), i.internalLbaSize(),
                    i.internalNlba(), i.nfree(), i.infoSize(), i.nextOff(), i.dataOff(), i.mapOff(), i.logOff(),
                    i.info2Off(), 0).sealed().toBytes();
            x.namespace().write(x.bttStart(), flagged);
            x.namespace().write(x.bttStart() + g.info2Offset(), flagged);
        });
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void bothInfoBlocksGoneIsNoBtt(DamageSubject s) {
        unrepairable(s, Finding.Check.INFO, "may not be a sector mode namespace", x -> {
            ArenaGeometry g = x.arena0();
            x.namespace().write(x.bttStart(), new byte[16]);
            x.namespace().write(x.bttStart() + g.info2Offset(), new byte[16]);
        });
    }
}
