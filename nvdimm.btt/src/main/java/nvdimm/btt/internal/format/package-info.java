/**
 * The BTT's on-media format: the info block, arena geometry, map entries, the flog, a fresh layout and the
 * discovery of existing arenas, as pure codecs and algorithms over bytes and {@link nvdimm.bus.Medium}s.
 * Byte-compatible with Linux's {@code drivers/nvdimm/btt.c} (v1.1 and v2.0) and the UEFI 2.7 BTT. No device,
 * no lock, no I/O path lives here: the engine and the checker build on these types.
 */
package nvdimm.btt.internal.format;
