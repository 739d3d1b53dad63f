package dev.stepwise.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A computation graph (or any node/edge graph) to log with {@link Run#graph(String, Graph)}: nodes
 * with an id and optional label, operation and shape, and directed edges between node ids. Build
 * one node by node with {@link #builder()}, or from any node and edge lists with
 * {@link #from(Iterable, Function, Function, Iterable, Function, Function)} — for example the
 * children of a DJL {@code Block} tree or the layers of any model.
 *
 * <p>Immutable and thread-safe.
 */
public final class Graph {

    /**
     * One node.
     *
     * @param id unique within the graph
     * @param label display text, or {@code null}
     * @param op the operation (such as {@code Linear}, {@code ReLU}), or {@code null}
     * @param shape the output shape as text (such as {@code [32, 10]}), or {@code null}
     */
    public record Node(String id, String label, String op, String shape) {
        /** Checks the id. */
        public Node {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("a graph node needs a non-empty id");
            }
        }
    }

    /**
     * One directed edge.
     *
     * @param source the id of the node the edge leaves
     * @param target the id of the node the edge enters
     */
    public record Edge(String source, String target) {
        /** Checks both ends. */
        public Edge {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }
    }

    private final List<Node> nodes;
    private final List<Edge> edges;

    private Graph(List<Node> nodes, List<Edge> edges) {
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
    }

    /** @return a new, empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a graph from node and edge lists of any type.
     *
     * @param nodes the nodes
     * @param id a node's id (unique)
     * @param op a node's operation, or a function answering {@code null}
     * @param edges the edges
     * @param source an edge's source node id
     * @param target an edge's target node id
     * @param <N> the node type
     * @param <E> the edge type
     * @return the graph
     * @throws IllegalArgumentException on a duplicate node id or an edge to an unknown node
     */
    public static <N, E> Graph from(Iterable<N> nodes, Function<N, String> id, Function<N, String> op,
            Iterable<E> edges, Function<E, String> source, Function<E, String> target) {
        Builder b = builder();
        for (N n : nodes) {
            b.node(id.apply(n), null, op.apply(n), null);
        }
        for (E e : edges) {
            b.edge(source.apply(e), target.apply(e));
        }
        return b.build();
    }

    /** @return the nodes in insertion order */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return the edges in insertion order */
    public List<Edge> edges() {
        return edges;
    }

    /** @return the {@code graph} item payload of the API: {@code {nodes: [{id, label?, op?, shape?}], edges: [{source, target}]}} */
    Map<String, Object> toData() {
        List<Map<String, Object>> ns = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            if (n.label() != null) {
                m.put("label", n.label());
            }
            if (n.op() != null) {
                m.put("op", n.op());
            }
            if (n.shape() != null) {
                m.put("shape", n.shape());
            }
            ns.add(m);
        }
        List<Map<String, Object>> es = new ArrayList<>();
        for (Edge e : edges) {
            es.add(Map.of("source", e.source(), "target", e.target()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("nodes", ns);
        data.put("edges", es);
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Graph g && nodes.equals(g.nodes) && edges.equals(g.edges);
    }

    @Override
    public int hashCode() {
        return 31 * nodes.hashCode() + edges.hashCode();
    }

    @Override
    public String toString() {
        return "Graph[" + nodes.size() + " nodes, " + edges.size() + " edges]";
    }

    /** Builds a {@link Graph}; not thread-safe. */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();
        private final Set<String> ids = new LinkedHashSet<>();
        private final List<Edge> edges = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a node.
         *
         * @param id unique within the graph
         * @param label display text, or {@code null}
         * @param op the operation, or {@code null}
         * @param shape the output shape as text, or {@code null}
         * @return this builder
         * @throws IllegalArgumentException when the id is empty or already used
         */
        public Builder node(String id, String label, String op, String shape) {
            Node n = new Node(id, label, op, shape);
            if (!ids.add(id)) {
                throw new IllegalArgumentException("duplicate graph node id '" + id + "'");
            }
            nodes.add(n);
            return this;
        }

        /**
         * Adds a node with only an id.
         *
         * @param id unique within the graph
         * @return this builder
         */
        public Builder node(String id) {
            return node(id, null, null, null);
        }

        /**
         * Adds a directed edge between two nodes added before or after it.
         *
         * @param source the source node id
         * @param target the target node id
         * @return this builder
         */
        public Builder edge(String source, String target) {
            edges.add(new Edge(source, target));
            return this;
        }

        /**
         * Builds the graph.
         *
         * @return the graph
         * @throws IllegalArgumentException when an edge names an unknown node
         */
        public Graph build() {
            for (Edge e : edges) {
                if (!ids.contains(e.source()) || !ids.contains(e.target())) {
                    throw new IllegalArgumentException("edge " + e.source() + " -> " + e.target()
                            + " names a node that is not in the graph");
                }
            }
            return new Graph(nodes, edges);
        }
    }
}
