package nvdimm.btt.internal.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import nvdimm.bus.Device;
import nvdimm.bus.Driver;
import nvdimm.namespace.Namespace;
import nvdimm.namespace.NamespaceMode;
import nvdimm.namespace.spi.ModeProvider;

/** The component's {@link Driver} and {@link ModeProvider} faces, forwarded to {@link BttDevices}. */
abstract class DelegatingBtt implements Driver, ModeProvider {
    final BttDevices devices;

    DelegatingBtt(BttDevices devices) {
        this.devices = devices;
    }

    @Override
    public String name() {
        return devices.name();
    }

    @Override
    public boolean match(Device device) {
        return devices.match(device);
    }

    @Override
    public void probe(Device device) {
        devices.probe(device);
    }

    @Override
    public void remove(Device device) {
        devices.remove(device);
    }

    @Override
    public Map<Class<?>, Object> services(Device device) {
        return devices.services(device);
    }

    @Override
    public NamespaceMode mode() {
        return devices.mode();
    }

    @Override
    public List<Integer> sectorSizes() {
        return devices.sectorSizes();
    }

    @Override
    public int defaultSectorSize() {
        return devices.defaultSectorSize();
    }

    @Override
    public void format(Namespace namespace, int sectorSize, Optional<UUID> parentUuid) {
        devices.format(namespace, sectorSize, parentUuid);
    }

    @Override
    public boolean detect(Namespace namespace) {
        return devices.detect(namespace);
    }

    @Override
    public OptionalInt sectorSize(Namespace namespace) {
        return devices.sectorSize(namespace);
    }

    @Override
    public void erase(Namespace namespace) {
        devices.erase(namespace);
    }
}
