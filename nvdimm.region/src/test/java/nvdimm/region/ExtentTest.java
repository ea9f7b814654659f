package nvdimm.region;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ExtentTest {

    @Test
    void theUnionClipsSortsAndMergesOverlappingAndAdjacentExtents() {
        List<Extent> in = List.of(new Extent(40, 20), new Extent(0, 10), new Extent(10, 5), new Extent(50, 30),
                new Extent(95, 10), new Extent(200, 1));
        assertEquals(List.of(new Extent(0, 15), new Extent(40, 40), new Extent(95, 5)), Extent.union(in, 100));
        assertEquals(List.of(), Extent.union(List.of(), 100));
    }
}
