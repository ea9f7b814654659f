package nvdimm.btt.internal.format;

import java.util.List;

/** What {@link ArenaDiscovery} found: no BTT yet, or its arenas. */
public sealed interface Discovery {

    /**
     * The first info block is not valid: there is no BTT ({@code INIT_NOTFOUND}); Linux writes a fresh layout.
     *
     * @param why what is wrong with the first info block
     */
    record NotFound(ArenaValidity why) implements Discovery {
    }

    /**
     * The arenas of an existing BTT, in order.
     *
     * @param arenas at least one
     */
    record Found(List<DiscoveredArena> arenas) implements Discovery {
        public Found {
            arenas = List.copyOf(arenas);
        }

        /** Sectors over all arenas. */
        public long externalNlba() {
            long n = 0;
            for (DiscoveredArena a : arenas) {
                n += a.geometry().externalNlba();
            }
            return n;
        }
    }
}
