package nvdimm.namespace.internal.labels;

import nvdimm.region.Region;

import org.osgi.service.component.annotations.Component;

/** The label reader the namespace core references: each read makes a {@link RegionLabelSet}. */
@Component(service = RegionLabelReader.class)
public final class RegionLabelReaderComponent implements RegionLabelReader {

    @Override
    public RegionLabels read(Region region) {
        return new RegionLabelSet(region);
    }
}
