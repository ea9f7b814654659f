package nvdimm.namespace.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.ClaimClass;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.NamespaceSpec;
import nvdimm.namespace.spi.ModeProvider;
import nvdimm.region.Region;

/** The checks ndctl's {@code validate_namespace_options} makes, each refusal naming the argument. */
final class SpecCheck {
    /** ndctl's {@code alt_name} buffer: 64 bytes with the terminating NUL. */
    static final int MAX_NAME_BYTES = 63;
    /** The kernel's smallest namespace for a mode other than raw ({@code nd_namespace_store}). */
    static final long MIN_MODE_SIZE = 16L << 20;

    private SpecCheck() {
    }

    /** The mode is supported here and, if not raw, has its provider bound; returns the provider (null for raw). */
    static ModeProvider mode(NamespaceSpec spec, ModeProviders modes, String who) {
        NamespaceMode mode = spec.mode();
        if (!mode.supported()) {
            throw new NvdimmException(Errno.EOPNOTSUPP, who + ": mode " + mode.ndctlName()
                    + " is not supported; the supported modes are raw and sector");
        }
        return mode == NamespaceMode.RAW ? null : modes.require(mode, who);
    }

    static void name(Optional<String> name, String who) {
        if (name.isPresent()) {
            int bytes = name.get().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_NAME_BYTES) {
                throw new NvdimmException(Errno.EINVAL, who + ": name of " + bytes + " bytes is too long (at most "
                        + MAX_NAME_BYTES + " bytes of UTF-8)");
            }
            if (name.get().indexOf('\0') >= 0) {
                throw new NvdimmException(Errno.EINVAL, who + ": name contains a NUL character");
            }
        }
    }

    /**
     * The label's lbasize for the spec: raw 512 or 4096 (512 only for a label-less namespace); sector: the
     * BTT sector size when the namespace itself supports it (512, 4096), else 512.
     */
    static int lbaSize(NamespaceSpec spec, ModeProvider provider, boolean labeled, String who) {
        if (spec.mode() == NamespaceMode.RAW) {
            int ss = spec.sectorSize().orElse(512);
            if (ss != 512 && (ss != 4096 || !labeled)) {
                throw new NvdimmException(Errno.EINVAL, who + ": sector size " + ss + " is not supported by a "
                        + (labeled ? "raw namespace (512 or 4096)" : "label-less namespace (512)"));
            }
            return ss;
        }
        int ss = modeSectorSize(spec, provider, who);
        return ss == 4096 && labeled ? 4096 : 512;
    }

    /** The sector size of a mode other than raw: asked for and supported, or the provider's default. */
    static int modeSectorSize(NamespaceSpec spec, ModeProvider provider, String who) {
        int ss = spec.sectorSize().orElse(provider.defaultSectorSize());
        if (!provider.sectorSizes().contains(ss)) {
            throw new NvdimmException(Errno.EINVAL, who + ": sector size " + ss + " is not supported in "
                    + spec.mode().ndctlName() + " mode (" + provider.sectorSizes() + ")");
        }
        return ss;
    }

    /** An asked-for size: positive, a multiple of the namespace alignment, big enough for the mode. */
    static void size(long size, Region region, NamespaceMode mode, String who) {
        long align = Capacity.alignment(region);
        if (size <= 0) {
            throw new NvdimmException(Errno.EINVAL, who + ": size " + size + " must be positive");
        }
        if (size % align != 0) {
            throw new NvdimmException(Errno.EINVAL, who + ": size " + Capacity.human(size)
                    + " is not a multiple of " + Capacity.human(align) + " (the region's alignment "
                    + Capacity.human(region.align()) + ", and 4 KiB on each of its " + region.interleaveWays()
                    + " DIMMs); did you mean " + Capacity.human(Math.ceilDiv(size, align) * align) + "?");
        }
        if (mode != NamespaceMode.RAW && size < MIN_MODE_SIZE) {
            throw new NvdimmException(Errno.EINVAL, who + ": size " + Capacity.human(size) + " is too small for "
                    + mode.ndctlName() + " mode (at least " + Capacity.human(MIN_MODE_SIZE) + ")");
        }
    }

    /** The abstraction GUID the labels get: BTT2's for sector mode on v1.2 labels, none otherwise (v1.1 has none). */
    static UUID abstractionGuid(NamespaceMode mode, String labelVersion) {
        if (mode == NamespaceMode.SECTOR && "1.2".equals(labelVersion)) {
            return ClaimClass.BTT2.guid().orElseThrow();
        }
        return NamespaceConfig.NULL_GUID;
    }
}
