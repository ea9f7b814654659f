package nvdimm.btt.internal.check;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import nvdimm.btt.check.CheckOptions;
import nvdimm.btt.check.CheckReport;
import nvdimm.btt.check.Progress;
import nvdimm.btt.internal.engine.Btt;
import nvdimm.btt.internal.engine.MediaErrors;
import nvdimm.btt.internal.format.ArenaGeometry;
import nvdimm.btt.internal.format.BttVersion;
import nvdimm.btt.internal.format.InfoBlock;
import nvdimm.bus.Media;
import nvdimm.bus.Medium;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.region.LanePolicy;
import nvdimm.region.testing.TestLanes;

/**
 * A BTT to damage: made here, or one a Linux kernel wrote (test resources {@code linux-btt/}), as a namespace's
 * bytes with the sha256 of the sectors that must survive any repair.
 *
 * @param name for messages
 * @param namespace the namespace's bytes
 * @param version the BTT's version
 * @param uuid the namespace's uuid; empty when label-less
 * @param sectorSize the external sector size
 * @param sectors the sha256 of each sector known before the damage
 */
record DamageSubject(String name, Medium namespace, BttVersion version, Optional<UUID> uuid, int sectorSize,
        Map<Long, String> sectors) {

    static final Lockdep LOCKDEP = new Lockdep(LockdepMode.THROW, r -> { });

    @Override
    public String toString() {
        return name;
    }

    /** A 20 MiB BTT made here with a few sectors written, some twice. */
    static DamageSubject madeHere(BttVersion version, int lbasize) {
        Medium m = Media.memory("here-" + lbasize, 20L << 20);
        Btt.format(m, version, lbasize, UUID.randomUUID(), InfoBlock.NIL_UUID);
        DamageSubject s = new DamageSubject("made here v" + version + " " + lbasize, m, version, Optional.empty(),
                lbasize, new LinkedHashMap<>());
        Btt btt = s.load();
        for (int round = 0; round < 2; round++) {
            for (long lba : new long[] {0, 1, 2, 3, 100, 1000, 2000}) {
                byte[] data = new byte[lbasize];
                java.util.Arrays.fill(data, (byte) (lba * 7 + round * 31 + 1));
                btt.write(lba, MemorySegment.ofArray(data));
                s.sectors.put(lba, sha256(data));
            }
        }
        btt.close();
        return s;
    }

    /** A Linux-made image's namespace (it starts at DPA 0 in all of them). */
    static DamageSubject linux(String image) {
        nvdimm.btt.testing.KernelImage k = new nvdimm.btt.testing.KernelImage(image);
        Medium file = k.image();
        return new DamageSubject(image, k.namespace(file), k.version(), k.namespaceUuid(), k.sectorSize(),
                new LinkedHashMap<>(k.sectorHashes()));
    }

    Btt load() {
        return Btt.load("btt0.0", namespace, version, uuid, TestLanes.pool("region0", LOCKDEP, 4, LanePolicy.HASH),
                LOCKDEP, MediaErrors.NONE);
    }

    long bttStart() {
        return version.initialOffset();
    }

    /** The first arena's geometry, from its info block as it is now. */
    ArenaGeometry arena0() {
        byte[] block = new byte[InfoBlock.SIZE];
        namespace.read(bttStart(), block);
        return ArenaGeometry.of(InfoBlock.decode(block), 0, namespace.size() - bttStart(), name);
    }

    CheckReport check(CheckOptions options) {
        return BttCheck.check(name, namespace, uuid, options, Progress.NONE);
    }

    byte[] bytes() {
        byte[] all = new byte[(int) namespace.size()];
        namespace.read(0, all);
        return all;
    }

    /** The LBAs whose sectors no longer read as before, through the engine (loading first, as Linux would). */
    java.util.List<Long> changedSectors() {
        Btt btt = load();
        java.util.List<Long> changed = new java.util.ArrayList<>();
        byte[] got = new byte[sectorSize];
        for (Map.Entry<Long, String> e : sectors.entrySet()) {
            try {
                btt.read(e.getKey(), MemorySegment.ofArray(got));
                if (!sha256(got).equals(e.getValue())) {
                    changed.add(e.getKey());
                }
            } catch (nvdimm.bus.NvdimmException x) {
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
