package nvdimm.lockdep.internal;

import java.util.List;

/** Where something was first seen: a thread name and a trimmed stack, innermost frame first. */
record Site(String thread, List<StackTraceElement> frames) {
}
