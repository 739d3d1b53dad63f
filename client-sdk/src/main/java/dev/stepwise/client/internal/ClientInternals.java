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
     * Returns the engine of a client.
     *
     * @param client the client
     * @return its engine
     */
    public static synchronized Engine engine(Stepwise client) {
        return ENGINES.get(client);
    }
}
