package nvdimm.btt.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code nd_inc_seq} and {@code btt_log_get_old}. */
class LogSeqTest {

    @Test
    void seqsCycleOneTwoThreeAndZeroStays() {
        assertEquals(2, LogSeq.next(1));
        assertEquals(3, LogSeq.next(2));
        assertEquals(1, LogSeq.next(3));
        assertEquals(0, LogSeq.next(0));
        assertEquals(-1, LogSeq.next(4));
        assertEquals(-1, LogSeq.next(-1));
    }

    @Test
    void theNewerFollowsTheOlderAcrossTheWrap() {
        assertEquals(0, LogSeq.older(1, 2));
        assertEquals(1, LogSeq.older(2, 1));
        assertEquals(0, LogSeq.older(2, 3));
        assertEquals(1, LogSeq.older(3, 2));
        assertEquals(0, LogSeq.older(3, 1), "1 follows 3");
        assertEquals(1, LogSeq.older(1, 3), "1 follows 3");
        assertEquals(1, LogSeq.older(1, 0), "a fresh lane: slot 0 (seq 1) is newer than the empty slot");
    }

    @Test
    void aFirstSlotWithSeqZeroIsOlderWhateverTheSecondHolds() {
        assertEquals(0, LogSeq.older(0, 0));
        assertEquals(0, LogSeq.older(0, 1));
        assertEquals(0, LogSeq.older(0, 3));
        assertEquals(0, LogSeq.older(0, 99));
    }

    @Test
    void equalSeqsAndSumsOverFiveAreCorruption() {
        assertEquals(-1, LogSeq.older(1, 1));
        assertEquals(-1, LogSeq.older(2, 2));
        assertEquals(-1, LogSeq.older(3, 3));
        assertEquals(-1, LogSeq.older(3, 4));
        assertEquals(-1, LogSeq.older(2, 4), "2 + 4 > 5");
        assertEquals(-1, LogSeq.older(1, -1), "an unsigned seq of 2^32-1");
        assertEquals(-1, LogSeq.older(-1, 1));
        assertEquals(0, LogSeq.older(4, 1), "Linux accepts 4 + 1: 4 differs by 3, so it is the older");
    }
}
