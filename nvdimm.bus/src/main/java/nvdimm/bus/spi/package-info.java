/**
 * The provider SPI: what a bundle implements to bring a bus of persistent memory into the stack.
 *
 * <p>A provider is a Declarative Services component that registers a {@link nvdimm.bus.spi.BusProvider}
 * service. The bus core binds every provider it sees (dynamic, multiple, greedy): a new provider
 * becomes a new bus {@code ndbusN} with one DIMM device per {@link nvdimm.bus.spi.DimmDescriptor} and
 * one region per {@link nvdimm.bus.spi.RegionDescriptor}; a provider that leaves takes its bus down
 * in order, children first, after in-flight commands drain. Everything a provider says is data
 * (records) plus two call-backs: the {@link nvdimm.bus.spi.CommandHandler} (the ioctl path) and an
 * optional per-region {@link nvdimm.bus.spi.FlushHandler}.
 *
 * <p>Errors: a provider fails with {@link nvdimm.bus.NvdimmException} and the errno it means; the
 * stack passes that errno to its caller unchanged.
 */
@Export
@Version("0.2.0")
package nvdimm.bus.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
