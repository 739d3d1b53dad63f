package dev.stepwise.client.internal;

import dev.stepwise.client.TrainLog;
import java.util.function.BiConsumer;
import tools.jackson.core.JsonGenerator;

/**
 * Lets the spool write a {@link TrainLog}'s fields into an object of its own without a Jackson type
 * in {@code TrainLog}'s public API: {@code TrainLog} registers its writer here when its class is
 * initialized. Not API: may change without notice.
 */
public final class TrainLogFields {

    private static volatile BiConsumer<TrainLog, JsonGenerator> writer;

    private TrainLogFields() {}

    /**
     * Called once by {@code TrainLog}'s static initializer.
     *
     * @param fieldsWriter writes a TrainLog's fields (without braces) to a generator
     */
    public static void register(BiConsumer<TrainLog, JsonGenerator> fieldsWriter) {
        writer = fieldsWriter;
    }

    /** Writes the TrainLog fields (without the enclosing braces) to a generator positioned inside an object. */
    static void write(TrainLog log, JsonGenerator g) {
        // A TrainLog instance exists, so its class (and with it the registration) is initialized.
        writer.accept(log, g);
    }
}
