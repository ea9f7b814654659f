package nvdimm.emul.internal;

import java.nio.file.Path;
import java.util.List;

import nvdimm.emul.AttachedImage;
import nvdimm.emul.ImageAttacher;
import nvdimm.emul.LabelSize;
import nvdimm.lockdep.Lockdep;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link ImageAttacher} service. Immediate, so that it does not go (detaching every image)
 * when its last user lets go of it; deactivation detaches every image.
 */
@Component(service = ImageAttacher.class, immediate = true)
public final class ImageAttacherComponent implements ImageAttacher {

    private final Images images;

    @Activate
    public ImageAttacherComponent(@Reference Lockdep lockdep, @Reference Directory directory, BundleContext context) {
        this.images = new Images(directory, lockdep, new FrameworkPublisher(context), System::nanoTime);
    }

    @Override
    public AttachedImage attach(Path file, LabelSize labelSize, String name, int slot) {
        return images.attach(file, labelSize, name, slot);
    }

    @Override
    public nvdimm.emul.OpenedImage open(Path file, LabelSize labelSize) {
        return images.open(file, labelSize);
    }

    @Override
    public AttachedImage detach(String nameOrFile) {
        return images.detach(nameOrFile);
    }

    @Override
    public List<AttachedImage> attached() {
        return images.attached();
    }

    @Deactivate
    void deactivate() {
        images.close();
    }
}
