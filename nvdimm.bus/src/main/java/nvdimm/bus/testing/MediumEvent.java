package nvdimm.bus.testing;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** One entry of a {@link RecordingMedium}'s log, in program order. */
public sealed interface MediumEvent {

    /**
     * A store of {@code bytes} at {@code offset}.
     *
     * @param atomic whether it was an aligned 4- or 8-byte atomic store ({@code writeInt},
     *     {@code writeLong}) rather than a bulk {@code write}
     */
    record Store(long offset, byte[] bytes, boolean atomic) implements MediumEvent {

        /** Keeps its own copy of {@code bytes}. */
        public Store {
            bytes = bytes.clone();
        }

        /** A copy of the stored bytes. */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Store s && s.offset == offset && s.atomic == atomic && Arrays.equals(s.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(offset, atomic, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            String shown = bytes.length <= 16 ? HexFormat.of().formatHex(bytes) : bytes.length + " bytes";
            return (atomic ? "atomic store(" : "store(") + offset + ", " + shown + ")";
        }
    }

    /** A persistence barrier for {@code [offset, offset+length)}. */
    record Persist(long offset, long length) implements MediumEvent {
        @Override
        public String toString() {
            return "persist(" + offset + ", " + length + ")";
        }
    }

    /** A write back and deep flush of the whole medium: every earlier store is persisted. */
    record Sync() implements MediumEvent {
        @Override
        public String toString() {
            return "sync()";
        }
    }

    /** A drain of the persistence domain (a region flush): it persists no store. */
    record Drain() implements MediumEvent {
        @Override
        public String toString() {
            return "drain()";
        }
    }

    /** A label the workload put into the log to name the point it has reached. */
    record Marker(String label) implements MediumEvent {

        /** @param label not null */
        public Marker {
            Objects.requireNonNull(label, "label");
        }

        @Override
        public String toString() {
            return "marker '" + label + "'";
        }
    }
}
