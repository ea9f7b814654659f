package nvdimm.lockdep.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency graph over lock nodes ((class, subclass) pairs), with lockdep's four dependency types,
 * kept free of strong cycles (see {@link nvdimm.lockdep.DependencyType}).
 *
 * <p>How "strong" is checked incrementally: each lock node has two <em>states</em>, N ("reached by a
 * dependency whose later lock was not a recursive reader") and R ("reached as a recursive reader"). A
 * dependency A -(XY)-> B becomes the state arcs that a strong path may take: from A's N state always,
 * from A's R state only if X is E (a recursive reader followed by a shared hold would not be strong), to
 * B's R state if Y is R, else to B's N state. A strong cycle of locks is exactly a cycle of states, so
 * the state graph is a DAG as long as no deadlock is recorded, even when the lock graph has harmless
 * read/read cycles.
 *
 * <p>The state DAG keeps a topological order, updated per arc with the Pearce–Kelly algorithm (as in
 * Abseil's GraphCycles): an arc that agrees with the order costs nothing; otherwise a search bounded to
 * the affected part of the order either finds the cycle or reorders that part. A dependency is added
 * only if none of its arcs closes a cycle. Not thread-safe: the validator calls it under its graph lock.
 */
final class DependencyGraph {
    static final int EN = 0;
    static final int ER = 1;
    static final int SN = 2;
    static final int SR = 3;

    /** A recorded dependency between two lock nodes, with the types seen and where each was first seen. */
    static final class Edge {
        final int from;
        final int to;
        int types;
        final Site[] sites = new Site[4];

        Edge(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    /** One step of a cycle: lock node {@code from} then {@code to}, of {@code type}, first seen at {@code site}. */
    record Hop(int from, int to, int type, Site site) {
    }

    private static final int[] NONE = new int[0];
    /** State arcs of each type, as bits: 1 = N to N, 2 = R to N, 4 = N to R, 8 = R to R. */
    private static final int[] ARCS = {1 | 2, 4 | 8, 1, 4};

    private final Map<Long, Edge> edges = new HashMap<>();
    private int states;
    private int[][] out = new int[0][];
    private int[][] in = new int[0][];
    private int[] outLen = NONE;
    private int[] inLen = NONE;
    /** The topological order: a permutation of 0..states-1. */
    private int[] ord = NONE;
    private int[] mark = NONE;
    private int stamp;
    // Scratch space for the searches, kept to avoid allocating per insertion.
    private int[] stack = NONE;
    private int[] forward = NONE;
    private int[] backward = NONE;
    private long[] sortBuffer = new long[0];
    private int forwardCount;
    private int backwardCount;

    /** Makes room for lock nodes {@code 0..nodes-1}; new states go to the end of the order. */
    void ensureNodes(int nodes) {
        int need = nodes * 2;
        if (need <= states) {
            return;
        }
        int capacity = Math.max(need, states * 2);
        out = Arrays.copyOf(out, capacity);
        in = Arrays.copyOf(in, capacity);
        outLen = Arrays.copyOf(outLen, capacity);
        inLen = Arrays.copyOf(inLen, capacity);
        ord = Arrays.copyOf(ord, capacity);
        mark = Arrays.copyOf(mark, capacity);
        for (int s = states; s < capacity; s++) {
            out[s] = NONE;
            in[s] = NONE;
            ord[s] = s;
        }
        states = capacity;
        stack = new int[capacity];
        forward = new int[capacity];
        backward = new int[capacity];
        sortBuffer = new long[capacity];
    }

    int edgeCount() {
        return edges.size();
    }

    Collection<Edge> edges() {
        return edges.values();
    }

    Edge edge(int from, int to) {
        return edges.get(key(from, to));
    }

    /**
     * Records {@code from -(type)-> to} unless it would close a strong cycle.
     *
     * @return {@code null} if recorded (or known already); otherwise the cycle, starting with the
     *     refused dependency itself, which is not recorded
     */
    List<Hop> add(int from, int to, int type, Site site) {
        Edge edge = edges.get(key(from, to));
        int have = edge == null ? 0 : edge.types;
        if ((have & (1 << type)) != 0) {
            return null;
        }
        int present = 0;
        for (int t = 0; t < 4; t++) {
            if ((have & (1 << t)) != 0) {
                present |= ARCS[t];
            }
        }
        int needed = ARCS[type] & ~present;
        int added = 0;
        for (int arc = 0; arc < 4; arc++) {
            if ((needed & (1 << arc)) == 0) {
                continue;
            }
            int x = fromState(from, arc);
            int y = toState(to, arc);
            if (!insert(x, y)) {
                List<Hop> cycle = cycle(from, to, type, site, y, x);
                for (int undo = 0; undo < arc; undo++) {
                    if ((added & (1 << undo)) != 0) {
                        removeArc(fromState(from, undo), toState(to, undo));
                    }
                }
                return cycle;
            }
            added |= 1 << arc;
        }
        if (edge == null) {
            edge = new Edge(from, to);
            edges.put(key(from, to), edge);
        }
        edge.types |= 1 << type;
        edge.sites[type] = site;
        return null;
    }

    /** Removes every dependency from or to lock node {@code node}. */
    void removeNode(int node) {
        for (int s = node * 2; s < node * 2 + 2 && s < states; s++) {
            for (int i = 0; i < outLen[s]; i++) {
                int v = out[s][i];
                edges.remove(key(node, v >> 1));
                removeFrom(in, inLen, v, s);
            }
            for (int i = 0; i < inLen[s]; i++) {
                int u = in[s][i];
                edges.remove(key(u >> 1, node));
                removeFrom(out, outLen, u, s);
            }
            out[s] = NONE;
            in[s] = NONE;
            outLen[s] = 0;
            inLen[s] = 0;
        }
    }

    void clear() {
        edges.clear();
        for (int s = 0; s < states; s++) {
            out[s] = NONE;
            in[s] = NONE;
            outLen[s] = 0;
            inLen[s] = 0;
            ord[s] = s;
        }
    }

    /**
     * Whether the structure is consistent, for tests: the order is topological, every arc is listed on
     * both ends, and the arcs are exactly those the recorded dependency types call for.
     */
    boolean isConsistent() {
        int arcs = 0;
        int reverse = 0;
        for (int s = 0; s < states; s++) {
            reverse += inLen[s];
            for (int i = 0; i < outLen[s]; i++) {
                int t = out[s][i];
                arcs++;
                if (ord[s] >= ord[t] || !contains(in[t], inLen[t], s)) {
                    return false;
                }
            }
        }
        int expected = 0;
        for (Edge e : edges.values()) {
            int present = 0;
            for (int t = 0; t < 4; t++) {
                if ((e.types & (1 << t)) != 0) {
                    present |= ARCS[t];
                }
            }
            for (int arc = 0; arc < 4; arc++) {
                if ((present & (1 << arc)) != 0) {
                    expected++;
                    int x = fromState(e.from, arc);
                    if (!contains(out[x], outLen[x], toState(e.to, arc))) {
                        return false;
                    }
                }
            }
        }
        return arcs == reverse && arcs == expected;
    }

    private static boolean contains(int[] list, int n, int value) {
        for (int i = 0; i < n; i++) {
            if (list[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static int fromState(int node, int arc) {
        return node * 2 + ((arc & 1) != 0 ? 1 : 0);
    }

    private static int toState(int node, int arc) {
        return node * 2 + ((arc & 2) != 0 ? 1 : 0);
    }

    private static long key(int from, int to) {
        return (long) from << 32 | (to & 0xffffffffL);
    }

    /** Pearce–Kelly: adds arc x to y and keeps the order topological, or refuses an arc that closes a cycle. */
    private boolean insert(int x, int y) {
        addArc(x, y);
        int rx = ord[x];
        int ry = ord[y];
        if (rx < ry) {
            return true;
        }
        nextStamp();
        if (!searchForward(y, rx)) {
            removeArc(x, y);
            return false;
        }
        searchBackward(x, ry);
        reorder();
        return true;
    }

    /** Visits what {@code start} reaches below {@code bound} in the order; false if it reaches rank {@code bound}. */
    private boolean searchForward(int start, int bound) {
        forwardCount = 0;
        int sp = 0;
        stack[sp++] = start;
        mark[start] = stamp;
        while (sp > 0) {
            int u = stack[--sp];
            forward[forwardCount++] = u;
            int[] arcs = out[u];
            for (int i = 0, n = outLen[u]; i < n; i++) {
                int v = arcs[i];
                int rv = ord[v];
                if (rv == bound) {
                    return false;
                }
                if (rv < bound && mark[v] != stamp) {
                    mark[v] = stamp;
                    stack[sp++] = v;
                }
            }
        }
        return true;
    }

    /** Visits what reaches {@code start} above {@code bound} in the order. */
    private void searchBackward(int start, int bound) {
        backwardCount = 0;
        int sp = 0;
        stack[sp++] = start;
        mark[start] = stamp;
        while (sp > 0) {
            int u = stack[--sp];
            backward[backwardCount++] = u;
            int[] arcs = in[u];
            for (int i = 0, n = inLen[u]; i < n; i++) {
                int v = arcs[i];
                if (ord[v] > bound && mark[v] != stamp) {
                    mark[v] = stamp;
                    stack[sp++] = v;
                }
            }
        }
    }

    /** Gives the backward set, then the forward set, the ranks both held, in that order. */
    private void reorder() {
        sortByOrder(backward, backwardCount);
        sortByOrder(forward, forwardCount);
        int n = backwardCount + forwardCount;
        long[] buffer = sortBuffer;
        for (int i = 0; i < backwardCount; i++) {
            buffer[i] = ord[backward[i]];
        }
        for (int i = 0; i < forwardCount; i++) {
            buffer[backwardCount + i] = ord[forward[i]];
        }
        Arrays.sort(buffer, 0, n);
        for (int i = 0; i < backwardCount; i++) {
            ord[backward[i]] = (int) buffer[i];
        }
        for (int i = 0; i < forwardCount; i++) {
            ord[forward[i]] = (int) buffer[backwardCount + i];
        }
    }

    private void sortByOrder(int[] nodes, int n) {
        long[] buffer = sortBuffer;
        for (int i = 0; i < n; i++) {
            buffer[i] = (long) ord[nodes[i]] << 32 | nodes[i];
        }
        Arrays.sort(buffer, 0, n);
        for (int i = 0; i < n; i++) {
            nodes[i] = (int) buffer[i];
        }
    }

    private void nextStamp() {
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(mark, 0);
            stamp = 1;
        }
    }

    private void addArc(int x, int y) {
        append(out, outLen, x, y);
        append(in, inLen, y, x);
    }

    private void removeArc(int x, int y) {
        removeFrom(out, outLen, x, y);
        removeFrom(in, inLen, y, x);
    }

    private static void append(int[][] lists, int[] lengths, int s, int value) {
        int n = lengths[s];
        if (n == lists[s].length) {
            lists[s] = Arrays.copyOf(lists[s], Math.max(4, n * 2));
        }
        lists[s][n] = value;
        lengths[s] = n + 1;
    }

    private static void removeFrom(int[][] lists, int[] lengths, int s, int value) {
        int[] list = lists[s];
        int n = lengths[s];
        for (int i = 0; i < n; i++) {
            if (list[i] == value) {
                list[i] = list[n - 1];
                lengths[s] = n - 1;
                return;
            }
        }
    }

    /**
     * The cycle that the refused arc x to y would close: the refused dependency, then the shortest state
     * path from y back to x (a breadth-first search, run only when reporting).
     */
    private List<Hop> cycle(int from, int to, int type, Site site, int y, int x) {
        int[] parent = new int[states];
        Arrays.fill(parent, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(y);
        parent[y] = y;
        while (!queue.isEmpty() && parent[x] < 0) {
            int u = queue.poll();
            for (int i = 0; i < outLen[u]; i++) {
                int v = out[u][i];
                if (parent[v] < 0) {
                    parent[v] = u;
                    queue.add(v);
                }
            }
        }
        List<Integer> path = new ArrayList<>();
        for (int s = x; s != y; s = parent[s]) {
            path.add(s);
        }
        path.add(y);
        List<Hop> hops = new ArrayList<>();
        hops.add(new Hop(from, to, type, site));
        for (int i = path.size() - 1; i > 0; i--) {
            int a = path.get(i);
            int b = path.get(i - 1);
            hops.add(hop(a, b, from, to, type, site));
        }
        return hops;
    }

    /** The dependency behind state arc a to b: a recursive-reader state may only leave by an E type. */
    private Hop hop(int a, int b, int newFrom, int newTo, int newType, Site newSite) {
        int from = a >> 1;
        int to = b >> 1;
        boolean intoR = (b & 1) != 0;
        boolean outOfR = (a & 1) != 0;
        Edge edge = edges.get(key(from, to));
        int[] candidates = intoR ? new int[] {ER, SR} : new int[] {EN, SN};
        for (int t : candidates) {
            if (outOfR && (t == SN || t == SR)) {
                continue;
            }
            if (edge != null && (edge.types & (1 << t)) != 0) {
                return new Hop(from, to, t, edge.sites[t]);
            }
        }
        // Only the dependency being added (its other arcs are in place while the cycle is traced).
        assert from == newFrom && to == newTo;
        return new Hop(from, to, newType, newSite);
    }
}
