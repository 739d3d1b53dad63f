package dev.stepwise.client.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import dev.stepwise.client.LogSink;

/**
 * A {@link LogSink} printing {@code step 10 [train] train/loss=0.42 train/acc=0.91}.
 * Not API: may change without notice.
 */
public final class ConsoleSink implements LogSink {
    private final PrintStream out;

    /**
     * Creates the sink.
     *
     * @param out where to print
     */
    public ConsoleSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts) {
        StringBuilder line = new StringBuilder("step ").append(step).append(" [").append(namespace).append(']');
        scalars.forEach((k, v) -> line.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.6g", v)));
        texts.forEach((k, v) -> line.append(' ').append(k).append("=\"").append(v).append('"'));
        out.println(line);
    }

    @Override
    public void config(Map<String, Object> config) {
        out.println("config " + config);
    }

    @Override
    public void flush() {
        out.flush();
    }
}
