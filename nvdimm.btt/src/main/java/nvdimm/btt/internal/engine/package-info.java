/**
 * The BTT engine: Linux's {@code btt.c} read and write paths over a {@link nvdimm.bus.Medium} (a namespace's
 * bytes, offset 0 at its start), built on the on-media format of {@link nvdimm.btt.internal.format}. A sector
 * write is atomic across a power failure: data into the lane's free block, persisted; the log entry in two
 * 8-byte halves, sequence half last, each persisted; then the map entry, persisted. No device and no OSGi here:
 * the BTT devices wrap a {@link nvdimm.btt.internal.engine.Btt}; tests and the crash explorer drive one directly
 * on any medium.
 */
package nvdimm.btt.internal.engine;
