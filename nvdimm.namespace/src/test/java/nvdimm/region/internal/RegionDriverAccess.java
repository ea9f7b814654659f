package nvdimm.region.internal;

import nvdimm.region.NamespaceProvider;

/** Reaches the region driver's package-private DS hooks from the namespace core's tests. */
public final class RegionDriverAccess {
    private RegionDriverAccess() {
    }

    public static void bindNamespaceProvider(RegionDriver driver, NamespaceProvider provider) {
        driver.bindNamespaceProvider(provider);
    }

    public static void unbindNamespaceProvider(RegionDriver driver, NamespaceProvider provider) {
        driver.unbindNamespaceProvider(provider);
    }

    public static void deactivate(RegionDriver driver) {
        driver.deactivate();
    }
}
