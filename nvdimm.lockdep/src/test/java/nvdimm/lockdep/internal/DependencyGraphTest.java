package nvdimm.lockdep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
    private static final Site HERE = new Site("test", List.of());

    /** Random exclusive dependencies: the graph refuses exactly those that close a cycle. */
    @Test
    void refusesExactlyTheEdgesThatCloseACycle() {
        Random random = new Random(42);
        for (int round = 0; round < 30; round++) {
            int n = 5 + random.nextInt(40);
            DependencyGraph graph = new DependencyGraph();
            graph.ensureNodes(n);
            boolean[][] adj = new boolean[n][n];
            for (int i = 0; i < n * 4; i++) {
                int from = random.nextInt(n);
                int to = random.nextInt(n);
                if (from == to) {
                    continue;
                }
                boolean cycle = reaches(adj, to, from);
                List<DependencyGraph.Hop> hops = graph.add(from, to, DependencyGraph.EN, HERE);
                assertEquals(cycle, hops != null, "round " + round + " edge " + from + "->" + to);
                if (hops == null) {
                    adj[from][to] = true;
                } else {
                    assertCycle(hops, from, to);
                }
                assertTrue(graph.isConsistent());
            }
        }
    }

    private static void assertCycle(List<DependencyGraph.Hop> hops, int from, int to) {
        assertEquals(from, hops.get(0).from());
        assertEquals(to, hops.get(0).to());
        for (int i = 1; i < hops.size(); i++) {
            assertEquals(hops.get(i - 1).to(), hops.get(i).from());
        }
        assertEquals(from, hops.get(hops.size() - 1).to());
    }

    private static boolean reaches(boolean[][] adj, int from, int to) {
        boolean[] seen = new boolean[adj.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(from));
        seen[from] = true;
        while (!queue.isEmpty()) {
            int u = queue.poll();
            if (u == to) {
                return true;
            }
            for (int v = 0; v < adj.length; v++) {
                if (adj[u][v] && !seen[v]) {
                    seen[v] = true;
                    queue.add(v);
                }
            }
        }
        return false;
    }

    /** Random dependencies of all four types against a brute-force search for strong cycles. */
    @Test
    void refusesExactlyTheDependenciesThatCloseAStrongCycle() {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            int n = 3 + random.nextInt(12);
            DependencyGraph graph = new DependencyGraph();
            graph.ensureNodes(n);
            int[][] types = new int[n][n];
            for (int i = 0; i < n * 5; i++) {
                int from = random.nextInt(n);
                int to = random.nextInt(n);
                int type = random.nextInt(4);
                if (from == to) {
                    continue;
                }
                types[from][to] |= 1 << type;
                boolean strong = hasStrongCycle(types);
                List<DependencyGraph.Hop> hops = graph.add(from, to, type, HERE);
                assertEquals(strong, hops != null, "round " + round + " step " + i);
                if (hops != null) {
                    types[from][to] &= ~(1 << type);
                    assertCycle(hops, from, to);
                } else {
                    assertNotNull(graph.edge(from, to));
                }
                assertTrue(graph.isConsistent(), "round " + round + " step " + i);
            }
        }
    }

    /** A cycle of (node, came in as recursive reader) states where no xR step is followed by an Sx step. */
    private static boolean hasStrongCycle(int[][] types) {
        int n = types.length;
        boolean[][] reach = new boolean[2 * n][2 * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < 4; t++) {
                    if ((types[a][b] & (1 << t)) == 0) {
                        continue;
                    }
                    boolean shared = t >= 2;
                    int to = 2 * b + (t % 2);
                    reach[2 * a][to] = true;
                    if (!shared) {
                        reach[2 * a + 1][to] = true;
                    }
                }
            }
        }
        for (int k = 0; k < 2 * n; k++) {
            for (int i = 0; i < 2 * n; i++) {
                for (int j = 0; j < 2 * n; j++) {
                    reach[i][j] |= reach[i][k] && reach[k][j];
                }
            }
        }
        for (int i = 0; i < 2 * n; i++) {
            if (reach[i][i]) {
                return true;
            }
        }
        return false;
    }

    @Test
    void strongCyclesOnly() {
        DependencyGraph graph = new DependencyGraph();
        graph.ensureNodes(3);
        assertNull(graph.add(0, 1, DependencyGraph.SR, HERE));
        assertNull(graph.add(1, 0, DependencyGraph.SR, HERE)); // R then S: not strong
        assertNull(graph.add(1, 0, DependencyGraph.ER, HERE)); // R then E... back via R: still not strong
        List<DependencyGraph.Hop> hops = graph.add(1, 0, DependencyGraph.EN, HERE); // into 0's N state: strong
        assertNotNull(hops);
        assertEquals(DependencyGraph.EN, hops.get(0).type());
        assertEquals(DependencyGraph.SR, hops.get(1).type());
        assertNull(graph.add(1, 0, DependencyGraph.SN, HERE) == null ? null : "unexpected"); // S after R: fine
        assertTrue(graph.isConsistent());
        assertEquals(2, graph.edgeCount());
    }

    @Test
    void aRefusedDependencyLeavesNoArcBehind() {
        DependencyGraph graph = new DependencyGraph();
        graph.ensureNodes(3);
        assertNull(graph.add(0, 1, DependencyGraph.EN, HERE));
        assertNull(graph.add(1, 2, DependencyGraph.ER, HERE));
        // 2 -(EN)-> 0 needs arcs from 2's N and R states; the R one closes 0 -> 1 -> 2(R) -> 0.
        assertNotNull(graph.add(2, 0, DependencyGraph.EN, HERE));
        assertNull(graph.edge(2, 0));
        assertTrue(graph.isConsistent(), "the arc added before the refused one is taken back");
        assertEquals(1 << DependencyGraph.EN, graph.edge(0, 1).types);
        // 2 -(SN)-> 0 has only the N arc: a recursive read of 2 followed by a shared hold is not strong.
        assertNull(graph.add(2, 0, DependencyGraph.SN, HERE));
        assertTrue(graph.isConsistent());
    }

    @Test
    void removingANodeLeavesItsNeighboursEdges() {
        DependencyGraph graph = new DependencyGraph();
        graph.ensureNodes(4);
        graph.add(1, 0, DependencyGraph.EN, HERE);
        graph.add(2, 3, DependencyGraph.ER, HERE);
        graph.add(3, 2, DependencyGraph.SR, HERE);
        graph.removeNode(1);
        assertEquals(2, graph.edgeCount());
        assertNotNull(graph.edge(2, 3));
        assertTrue(graph.isConsistent());
        graph.removeNode(3);
        assertEquals(0, graph.edgeCount());
        assertTrue(graph.isConsistent());
    }

    @Test
    void removingANodeDropsItsEdgesAndKeepsTheOrder() {
        DependencyGraph graph = new DependencyGraph();
        graph.ensureNodes(4);
        graph.add(0, 1, DependencyGraph.EN, HERE);
        graph.add(1, 2, DependencyGraph.EN, HERE);
        graph.add(2, 3, DependencyGraph.EN, HERE);
        assertNotNull(graph.add(3, 0, DependencyGraph.EN, HERE));
        graph.removeNode(1);
        assertEquals(1, graph.edgeCount());
        assertNull(graph.add(3, 0, DependencyGraph.EN, HERE));
        assertNull(graph.add(1, 3, DependencyGraph.EN, HERE));
        assertTrue(graph.isConsistent());
        graph.clear();
        assertEquals(0, graph.edgeCount());
        assertNull(graph.add(3, 2, DependencyGraph.EN, HERE));
    }

    @Test
    void growsWithoutLosingTheOrder() {
        DependencyGraph graph = new DependencyGraph();
        List<int[]> chainEdges = new ArrayList<>();
        for (int n = 2; n < 300; n++) {
            graph.ensureNodes(n);
            assertNull(graph.add(n - 1, n - 2, DependencyGraph.EN, HERE)); // against the initial order
            chainEdges.add(new int[] {n - 1, n - 2});
        }
        assertNotNull(graph.add(0, 298, DependencyGraph.EN, HERE));
        assertTrue(graph.isConsistent());
        assertEquals(chainEdges.size(), graph.edgeCount());
    }
}
