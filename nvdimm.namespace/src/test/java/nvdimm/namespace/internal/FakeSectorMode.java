package nvdimm.namespace.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.spi.ModeProvider;

/** A sector-mode provider that marks a namespace with an 8-byte magic at offset 4096 (where a BTT's info block is). */
final class FakeSectorMode implements ModeProvider {
    static final long MAGIC = 0x4254545f54455354L;
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public NamespaceMode mode() {
        return NamespaceMode.SECTOR;
    }

    @Override
    public List<Integer> sectorSizes() {
        return List.of(512, 520, 528, 4096, 4104, 4160, 4224);
    }

    @Override
    public int defaultSectorSize() {
        return 4096;
    }

    @Override
    public void format(Namespace namespace, int sectorSize, Optional<UUID> parentUuid) {
        formatted = sectorSize;
        calls.add("format " + namespace.name() + " " + sectorSize + " " + parentUuid.map(UUID::toString).orElse("-"));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, MAGIC);
            namespace.write(4096, s, false);
        }
    }

    /** The sector size format was last given, as a BTT's info block would keep it. */
    volatile int formatted = 4096;

    @Override
    public java.util.OptionalInt sectorSize(Namespace namespace) {
        return java.util.OptionalInt.of(formatted);
    }

    @Override
    public boolean detect(Namespace namespace) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            namespace.read(4096, s);
            return s.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) == MAGIC;
        }
    }

    @Override
    public void erase(Namespace namespace) {
        calls.add("erase " + namespace.name());
        try (Arena a = Arena.ofConfined()) {
            namespace.write(4096, a.allocate(8), false);
        }
    }
}
