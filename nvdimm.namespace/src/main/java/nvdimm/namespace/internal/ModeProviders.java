package nvdimm.namespace.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import nvdimm.bus.Errno;
import nvdimm.bus.NvdimmException;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.spi.ModeProvider;

/** The mode providers bound now (dynamic, optional, multiple). */
final class ModeProviders {
    private static final System.Logger LOG = System.getLogger("nvdimm.namespace");
    private final CopyOnWriteArrayList<ModeProvider> providers = new CopyOnWriteArrayList<>();

    void add(ModeProvider p) {
        providers.addIfAbsent(p);
    }

    void remove(ModeProvider p) {
        providers.remove(p);
    }

    Optional<ModeProvider> find(NamespaceMode mode) {
        for (ModeProvider p : providers) {
            if (p.mode() == mode) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The provider of a mode other than raw, or EOPNOTSUPP naming what is missing. */
    ModeProvider require(NamespaceMode mode, String who) {
        return find(mode).orElseThrow(() -> new NvdimmException(Errno.EOPNOTSUPP, who + ": " + mode.ndctlName()
                + " mode needs the nvdimm.btt bundle, which provides it; it is not running"));
    }

    /** The provider whose metadata the namespace carries, if any; a provider that fails to tell is skipped. */
    Optional<ModeProvider> detect(Namespace ns) {
        for (ModeProvider p : providers) {
            try {
                if (p.detect(ns)) {
                    return Optional.of(p);
                }
            } catch (NvdimmException e) {
                LOG.log(Level.WARNING, ns.name() + ": " + p.mode().ndctlName() + " detection failed: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    List<ModeProvider> all() {
        return List.copyOf(providers);
    }
}
