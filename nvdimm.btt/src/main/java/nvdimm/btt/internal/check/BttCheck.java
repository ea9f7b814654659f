package nvdimm.btt.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Finding;
import nvdimm.btt.check.Progress;
import nvdimm.btt.check.Verdict;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.btt.internal.format.LogGroup;
import nvdimm.btt.internal.format.LogIndices;
import nvdimm.btt.internal.format.SectorSizes;
import nvdimm.bus.Medium;
import nvdimm.bus.NvdimmException;

/**
 * Checks (and with {@link CheckOptions#repair()} repairs) the BTT on a namespace's bytes, as ndctl's
 * {@code check-namespace}: find or recover the first info block, discover the arenas (restoring a damaged
 * primary from its backup), the metadata sanity checks, the log layout, then per arena the log entries, the map
 * entries, the log/map roll-forward, info2 and the bitmap, stopping at the first damage no repair undoes; last,
 * {@code --rewrite-log}. The namespace must not be in use by a BTT meanwhile.
 *
 * <p>Goes beyond ndctl: BTTs whose internal block size is the external one rounded up (520, 528, 4104 and
 * 4160-byte sectors, which ndctl refuses) are checked; a log entry's {@code old_map} carrying the E flag that the
 * kernel writes when it remaps an errored LBA is not reported out of bounds (ndctl does not strip the flag: a note
 * says so).
 */
public final class BttCheck {

    private BttCheck() {
    }

    /**
     * Runs the check.
     *
     * @param target what is checked, for the report ({@code namespace0.0}, an image's path)
     * @param medium the namespace's bytes, offset 0 at its start
     * @param namespaceUuid the namespace's uuid (info blocks' parent); empty when label-less
     * @throws NvdimmException the medium's errno when it fails to read or write (a media error in the metadata)
     */
    public static CheckReport check(String target, Medium medium, Optional<UUID> namespaceUuid, CheckOptions options,
            Progress progress) {
        CheckMedia media = new CheckMedia(medium, options.repair());
        List<Finding> findings = new ArrayList<>();
        Optional<InfoRecovery.Found> first = InfoRecovery.primary(media, namespaceUuid);
        if (first.isEmpty()) {
            first = InfoRecovery.recover(media, namespaceUuid, findings);
        }
        if (first.isEmpty()) {
            findings.add(new Finding(Finding.Check.INFO, -1, -1, -1, -1, "Unable to recover any BTT info blocks:"
                    + " this may not be a sector mode namespace (no valid info block at 4096 or 0, nor a backup"
                    + " where one belongs)", Finding.Status.UNREPAIRABLE));
            return new CheckReport(target, Optional.empty(), 0, findings, Verdict.DAMAGED);
        }
        BttVersion version = first.get().version();
        List<CheckedArena> arenas = discover(media, version, namespaceUuid, findings);
        if (arenas != null) {
            ArenaChecks checks = new ArenaChecks(media, findings, progress);
            boolean clean = true;
            for (CheckedArena a : arenas) {
                if (!checks.check(a)) {
                    clean = false;
                    break;
                }
            }
            if (clean && options.rewriteLog()) {
                for (CheckedArena a : arenas) {
                    checks.rewriteLog(a);
                }
            }
        }
        return new CheckReport(target, Optional.of(version.major() + "." + version.minor()), arenas == null ? 0 : arenas.size(), findings,
                CheckReport.verdictOf(findings));
    }

    /**
     * Walks the arenas from the first ({@code btt_discover_arenas}), restoring a primary from its backup, and
     * runs {@code btt_parse_meta}'s sanity checks and {@code log_set_indices} on each; null after damage no
     * repair undoes (reported).
     */
    private static List<CheckedArena> discover(CheckMedia media, BttVersion version, Optional<UUID> nsUuid,
            List<Finding> findings) {
        long bttStart = version.initialOffset();
        long rawSize = media.size() - bttStart;
        List<CheckedArena> arenas = new ArrayList<>();
        long offset = 0;
        long lba = 0;
        while (offset < rawSize) {
            int i = arenas.size();
            long primary = bttStart + offset;
            if (rawSize - offset < InfoBlock.SIZE) {
                findings.add(unrepairable(Finding.Check.ARENA, i, primary, "no room for an info block"));
                return null;
            }
            byte[] block = media.read(primary, InfoBlock.SIZE);
            if (!InfoRecovery.verifies(block, nsUuid)) {
                long backup = bttStart + InfoRecovery.lastInfo2(rawSize - offset, offset);
                byte[] b = backup + InfoBlock.SIZE <= media.size() ? media.read(backup, InfoBlock.SIZE) : null;
                if (b == null || !InfoRecovery.verifies(b, nsUuid)) {
                    findings.add(unrepairable(Finding.Check.ARENA, i, primary, "the info block at offset " + primary
                            + " and its backup at offset " + backup + " are both invalid"));
                    return null;
                }
                media.write(primary, b);
                findings.add(new Finding(Finding.Check.ARENA, i, -1, -1, primary, "info block at offset " + primary
                        + " needs to be restored (from its backup at offset " + backup + ")",
                        media.repair() ? Finding.Status.REPAIRED : Finding.Status.NEEDS_REPAIR));
                block = b;
            }
            InfoBlock info = InfoBlock.decode(block);
            if (!meta(info, i, primary, findings)) {
                return null;
            }
            ArenaGeometry geometry;
            try {
                geometry = ArenaGeometry.of(info, offset, rawSize, "arena " + i);
            } catch (NvdimmException e) {
                findings.add(unrepairable(Finding.Check.META, i, primary, e.detail()));
                return null;
            }
            List<LogGroup> groups = new ArrayList<>(geometry.nfree());
            byte[] log = media.read(bttStart + geometry.logGroupOffset(0), geometry.nfree() * LogGroup.SIZE);
            for (int lane = 0; lane < geometry.nfree(); lane++) {
                groups.add(LogGroup.decode(log, lane * LogGroup.SIZE));
            }
            LogIndices indices;
            try {
                indices = LogIndices.detect(groups, "arena " + i);
            } catch (NvdimmException e) {
                findings.add(unrepairable(Finding.Check.LOG_INDICES, i, bttStart + geometry.logGroupOffset(0),
                        "Unable to deduce log/padding indices: " + e.detail()));
                return null;
            }
            arenas.add(new CheckedArena(i, bttStart, info, block, geometry, groups, indices, lba));
            lba += geometry.externalNlba();
            if (info.nextOff() == 0) {
                break;
            }
            offset += geometry.size();
        }
        return arenas;
    }

    /** {@code btt_parse_meta}'s checks: nfree, the block sizes, the error flag. */
    private static boolean meta(InfoBlock info, int i, long at, List<Finding> findings) {
        if (info.internalNlba() - info.externalNlba() != info.nfree()) {
            findings.add(unrepairable(Finding.Check.META, i, at, "internal_nlba " + info.internalNlba()
                    + " - external_nlba " + info.externalNlba() + " is not nfree " + info.nfree()));
            return false;
        }
        if (info.internalLbaSize() != info.externalLbaSize()) {
            boolean linux = SectorSizes.isSupported(info.externalLbaSize())
                    && info.internalLbaSize() == SectorSizes.internalLbaSize((int) info.externalLbaSize());
            if (!linux) {
                findings.add(unrepairable(Finding.Check.META, i, at, "internal_lbasize " + info.internalLbaSize()
                        + " is not external_lbasize " + info.externalLbaSize() + " rounded up to 64"));
                return false;
            }
            findings.add(new Finding(Finding.Check.META, i, -1, -1, at, "internal_lbasize " + info.internalLbaSize()
                    + " differs from external_lbasize " + info.externalLbaSize() + " as Linux lays it out; ndctl"
                    + " refuses to check such a BTT, checked here", Finding.Status.NOTE));
        }
        if (info.errorFlag()) {
            findings.add(unrepairable(Finding.Check.META, i, at, "Info block error flag is set, aborting"));
            return false;
        }
        return true;
    }

    static Finding unrepairable(Finding.Check check, int arena, long offset, String message) {
        return new Finding(check, arena, -1, -1, offset, message, Finding.Status.UNREPAIRABLE);
    }
}
