package nvdimm.virtio.internal.queue;

/** The older behaviours the series fixed, as {@link Protections}: the negative controls. */
final class Doubles {
    private Doubles() {
    }

    /** Base: the production protections with one place changed. */
    private abstract static class Variant implements Protections {
        @Override
        public void descriptorReclaimed(SpaceWaiters waiters) {
            SERIES_2026.descriptorReclaimed(waiters);
        }

        @Override
        public boolean queueHoldsReference() {
            return true;
        }

        @Override
        public boolean drainOnBreak() {
            return true;
        }
    }

    /** 3/7 removed: a reclaimed descriptor whose token handling is skipped wakes nobody. */
    static final Protections WAKE_NONE = new Variant() {
        @Override
        public void descriptorReclaimed(SpaceWaiters waiters) {
        }
    };

    /** A thundering herd: every waiter per reclaimed descriptor. */
    static final Protections WAKE_ALL = new Variant() {
        @Override
        public void descriptorReclaimed(SpaceWaiters waiters) {
            waiters.wakeAll();
        }
    };

    /** 5/7 removed: the submitter owns the request alone; its drop recycles it. */
    static final Protections SUBMITTER_OWNED = new Variant() {
        @Override
        public boolean queueHoldsReference() {
            return false;
        }
    };

    /** 6/7 and 7/7 removed: marking broken only sets the flag. */
    static final Protections NO_DRAIN = new Variant() {
        @Override
        public boolean drainOnBreak() {
            return false;
        }
    };
}
