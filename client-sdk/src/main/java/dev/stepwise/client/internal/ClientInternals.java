package dev.stepwise.client.internal;

import java.util.Map;
import java.util.WeakHashMap;

import dev.stepwise.client.Stepwise;

/**
 * Gives tests and tools access to the engine behind a {@link Stepwise} client, for example to
 * simulate a crash with {@link Engine#abandon()}. Not API: may change without notice. Thread-safe.
 */
public final class ClientInternals {

    private static final Map<Stepwise, Engine> ENGINES = new WeakHashMap<>();
    private static final Map<Stepwise.Builder, Exporter> EXPORTERS = new WeakHashMap<>();

    private ClientInternals() {
    }

    /**
     * Records the engine of a client; called by the client itself.
     *
     * @param client the client
     * @param engine its engine
     */
    public static synchronized void register(Stepwise client, Engine engine) {
        ENGINES.put(client, engine);
    }

    /**
     * Makes the client that {@code builder} builds send through {@code exporter} instead of the
     * REST API (online mode only): SDK tests run the pipeline against an in-memory server this way.
     *
     * @param builder the builder
     * @param exporter the exporter
     * @return the builder
     */
    public static synchronized Stepwise.Builder withExporter(Stepwise.Builder builder, Exporter exporter) {
        EXPORTERS.put(builder, exporter);
        return builder;
    }

    /**
     * Returns the exporter set for a builder; called by the builder itself.
     *
     * @param builder the builder
     * @return the exporter, or {@code null} for the REST API's
     */
    public static synchronized Exporter exporterOf(Stepwise.Builder builder) {
        return EXPORTERS.get(builder);
    }

    /**
     * Returns the engine of a client.
     *
     * @param client the client
     * @return its engine
     */
    public static synchronized Engine engine(Stepwise client) {
        return ENGINES.get(client);
    }
}
