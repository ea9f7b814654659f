package nvdimm.emul.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import nvdimm.bus.spi.ErrorRecord;

import org.junit.jupiter.api.Test;

class RangeSetTest {

    private static List<ErrorRecord> r(long... startLength) {
        List<ErrorRecord> out = new java.util.ArrayList<>();
        for (int i = 0; i < startLength.length; i += 2) {
            out.add(new ErrorRecord(startLength[i], startLength[i + 1]));
        }
        return out;
    }

    @Test
    void addingMergesOverlappingAndTouchingRanges() {
        RangeSet s = new RangeSet();
        s.add(100, 200);
        s.add(300, 400);
        assertEquals(r(100, 100, 300, 100), s.all());
        s.add(200, 250); // touches the first
        assertEquals(r(100, 150, 300, 100), s.all());
        s.add(50, 100); // touches from below
        assertEquals(r(50, 200, 300, 100), s.all());
        s.add(240, 310); // bridges both
        assertEquals(r(50, 350), s.all());
        s.add(60, 70); // inside
        assertEquals(r(50, 350), s.all());
        s.add(0, 1000); // covers
        assertEquals(r(0, 1000), s.all());
        s.add(1001, 1002);
        assertEquals(r(0, 1000, 1001, 1), s.all());
    }

    @Test
    void removingSplits() {
        RangeSet s = new RangeSet();
        s.add(0, 100);
        s.add(200, 300);
        s.remove(40, 60);
        assertEquals(r(0, 40, 60, 40, 200, 100), s.all());
        s.remove(30, 250);
        assertEquals(r(0, 30, 250, 50), s.all());
        s.remove(100, 200);
        assertEquals(r(0, 30, 250, 50), s.all());
        s.remove(0, 30);
        assertEquals(r(250, 50), s.all());
        s.remove(0, 1000);
        assertEquals(List.of(), s.all());
        s.add(10, 20);
        s.remove(15, 25);
        assertEquals(r(10, 5), s.all());
        s.remove(5, 15);
        assertEquals(List.of(), s.all());
    }

    @Test
    void withinClipsToTheRange() {
        RangeSet s = new RangeSet();
        s.add(0, 100);
        s.add(200, 300);
        s.add(400, 500);
        assertEquals(r(50, 50, 200, 50), s.within(50, 250));
        assertEquals(r(200, 100), s.within(150, 350));
        assertEquals(r(0, 100, 200, 100, 400, 100), s.within(0, 500));
        assertEquals(r(), s.within(100, 200));
        assertEquals(r(99, 1), s.within(99, 100));
        assertEquals(r(60, 10), s.within(60, 70));
    }

    @Test
    void setAllReplacesTheContent() {
        RangeSet s = new RangeSet();
        s.add(0, 10);
        s.setAll(r(100, 10, 105, 10, 300, 1));
        assertEquals(r(100, 15, 300, 1), s.all());
        s.setAll(List.of());
        assertEquals(List.of(), s.all());
    }
}
