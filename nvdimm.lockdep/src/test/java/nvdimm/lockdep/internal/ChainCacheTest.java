package nvdimm.lockdep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicBoolean;
import nvdimm.lockdep.LockClass;
import nvdimm.lockdep.Lockdep;
import nvdimm.lockdep.LockdepMode;
import nvdimm.lockdep.Mutex;
import org.junit.jupiter.api.Test;

class ChainCacheTest {
    /** The chain of the single element {@code id}. */
    private static ChainRecord chain(long id) {
        return new ChainRecord(ChainKeys.EMPTY, id, null, 0, 0, new ClassRecord[0], null, null);
    }

    @Test
    void findsWhatWasInsertedAcrossResizesAndPurges() {
        ChainCache cache = new ChainCache();
        for (long k = 1; k <= 5000; k++) {
            cache.insert(chain(k));
        }
        assertEquals(5000, cache.size());
        assertEquals(16384, cache.capacity());
        for (long k = 1; k <= 5000; k++) {
            long key = ChainKeys.next(ChainKeys.EMPTY, k);
            assertEquals(key, cache.find(key).key);
        }
        assertNull(cache.find(ChainKeys.next(ChainKeys.EMPTY, 5001)));
        cache.purge(c -> (c.id & 1) == 0);
        assertEquals(2500, cache.size());
        assertNull(cache.find(ChainKeys.next(ChainKeys.EMPTY, 2)));
        assertEquals(3, cache.find(ChainKeys.next(ChainKeys.EMPTY, 3)).id);
        assertEquals(16384, cache.capacity());
        cache.purge(c -> c.id > 10);
        assertEquals(5, cache.size());
        assertEquals(1024, cache.capacity());
        cache.purge(c -> true);
        assertEquals(0, cache.size());
        ChainRecord seven = chain(7);
        cache.insert(seven);
        assertSame(seven, cache.find(seven.key));
        cache.clear();
        assertNull(cache.find(seven.key));
    }

    @Test
    void chainKeysDependOnOrderAndAreNeverZero() {
        long ab = ChainKeys.next(ChainKeys.next(ChainKeys.EMPTY, 1), 2);
        long ba = ChainKeys.next(ChainKeys.next(ChainKeys.EMPTY, 2), 1);
        assertNotEquals(ab, ba);
        assertNotEquals(ChainKeys.next(ChainKeys.EMPTY, 1), ChainKeys.next(ChainKeys.EMPTY, 2));
        for (long i = 0; i < 100_000; i++) {
            assertNotEquals(0, ChainKeys.next(i, i * 31));
        }
    }

    @Test
    void aRepeatedChainIsValidatedOnceAndDoesNotGrowTheCache() {
        LockClass a = LockClass.of("a");
        LockClass b = LockClass.of("b");
        Lockdep lockdep = new Lockdep(LockdepMode.WARN, r -> { });
        lockdep.register(a, b);
        Mutex ma = lockdep.newMutex(a);
        Mutex mb = lockdep.newMutex(b);
        ma.lock();
        mb.lock();
        mb.unlock();
        ma.unlock();
        int chains = lockdep.status().chains();
        assertEquals(2, chains);
        for (int i = 0; i < 10_000; i++) {
            ma.lock();
            mb.lock();
            mb.unlock();
            ma.unlock();
        }
        assertEquals(chains, lockdep.status().chains());
    }

    @Test
    void readersNeverWaitForTheWriter() throws Exception {
        ChainCache cache = new ChainCache();
        AtomicBoolean stop = new AtomicBoolean();
        long[] missing = new long[1];
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (long k = 1; k <= 2000; k++) {
                    ChainRecord c = cache.find(ChainKeys.next(ChainKeys.EMPTY, k));
                    if (c != null && c.id != k) {
                        missing[0]++;
                    }
                }
            }
        });
        reader.start();
        for (long k = 1; k <= 2000; k++) {
            cache.insert(chain(k));
        }
        stop.set(true);
        reader.join();
        assertEquals(0, missing[0], "a reader saw a key with another chain's record");
    }
}
