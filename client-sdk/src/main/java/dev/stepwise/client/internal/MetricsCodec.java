package dev.stepwise.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import tools.jackson.core.JsonGenerator;

/**
 * Encodes metric upload bodies: {@code {"batchId": ..., "points": [{key, step, value, epoch?, time}]}},
 * gzip-compressed. Not API: may change without notice. Thread-safe.
 */
public final class MetricsCodec {

    private MetricsCodec() {
    }

    /**
     * Encodes and compresses one batch.
     *
     * @param batchId the idempotency key
     * @param points the points, all of one run
     * @return gzip-compressed JSON
     */
    public static byte[] encodeGzip(String batchId, List<Point> points) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(points.size() * 24 + 64);
        try (GZIPOutputStream gz = new FastGzip(bytes); JsonGenerator g = Json.generator(gz)) {
            g.writeStartObject();
            g.writeName("batchId");
            g.writeString(batchId);
            g.writeName("points");
            g.writeStartArray();
            for (Point p : points) {
                g.writeStartObject();
                g.writeName("key");
                g.writeString(p.key);
                g.writeName("step");
                g.writeNumber(p.step);
                g.writeName("value");
                Json.writeDouble(g, p.value);
                if (p.epoch >= 0) {
                    g.writeName("epoch");
                    g.writeNumber(p.epoch);
                }
                g.writeName("time");
                g.writeNumber(p.timeMillis);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Gzip at a fast level: metric JSON compresses well even so, and the worker stays quick. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
