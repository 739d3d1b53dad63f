package dev.stepwise.client;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.stepwise.client.internal.MediaEncoding;
import dev.stepwise.client.internal.MediaItem;
import dev.stepwise.client.internal.RunEvents;
import dev.stepwise.client.internal.RunState;

/**
 * Turns the rich-data calls of one {@link Run} into queued items: checks the key and step on the
 * caller's thread, copies the caller's arrays (so later changes to them do not leak in), and
 * hands the pipeline an encoder that runs on the upload worker — PNG and WAV encoding, histogram
 * binning and hashing happen off the caller's thread. Never throws: invalid input is dropped and
 * counted in {@link Stats.Media#dropped()}. Thread-safe.
 */
final class RunMedia {

    private final RunEvents events;
    private final RunState run;
    private final java.time.Clock clock;

    RunMedia(RunEvents events, RunState run, java.time.Clock clock) {
        this.events = events;
        this.run = run;
        this.clock = clock;
    }

    /** Queues an item whose encoder builds {@code type}'s data (and blob) from copied input. */
    void queue(String key, long step, long epoch, String type, long weight, Encoder encoder) {
        if (key == null || key.isEmpty() || key.length() > Run.MAX_KEY_LENGTH || key.chars().anyMatch(Character::isISOControl)) {
            events.refuseMedia("invalid key", "invalid key '" + key + "' for a " + type + " item");
            return;
        }
        if (step < 0) {
            events.refuseMedia("negative step", "negative step " + step + " for " + type + " '" + key + "'");
            return;
        }
        long time = clock.millis();
        events.media(run, weight, () -> encoder.encode(key, step, epoch, time));
    }

    /** Builds one item on the worker. */
    @FunctionalInterface
    interface Encoder {
        MediaItem encode(String key, long step, long epoch, long time);
    }

    static Encoder imageBytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        return (k, s, e, t) -> {
            String type = MediaEncoding.imageType(copy);
            if (type == null) {
                throw new IllegalArgumentException("image bytes are neither PNG, JPEG, GIF nor WebP");
            }
            int[] size = MediaEncoding.imageSize(copy);
            Map<String, Object> data = new LinkedHashMap<>();
            if (size != null) {
                data.put("width", size[0]);
                data.put("height", size[1]);
            }
            return MediaItem.withBlob(k, s, e, t, "image", data, copy, type);
        };
    }

    static Encoder image(Supplier<BufferedImage> image) {
        return (k, s, e, t) -> {
            BufferedImage img = image.get();
            return MediaItem.withBlob(k, s, e, t, "image",
                    Map.of("width", img.getWidth(), "height", img.getHeight()), MediaEncoding.png(img), "image/png");
        };
    }

    static float[][][] copy(float[][][] chw) {
        float[][][] c = new float[chw.length][][];
        for (int i = 0; i < chw.length; i++) {
            c[i] = copy(chw[i]);
        }
        return c;
    }

    static float[][] copy(float[][] rows) {
        float[][] c = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i].clone();
        }
        return c;
    }

    static Encoder audio(float[] samples, int sampleRate) {
        float[] copy = samples.clone();
        return (k, s, e, t) -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("sampleRate", sampleRate);
            data.put("durationS", copy.length / (double) sampleRate);
            return MediaItem.withBlob(k, s, e, t, "audio", data, MediaEncoding.wav(copy, sampleRate), "audio/wav");
        };
    }

    static Encoder video(byte[] bytes, double fps) {
        byte[] copy = bytes.clone();
        return (k, s, e, t) -> {
            String type = MediaEncoding.videoType(copy);
            if (type == null) {
                throw new IllegalArgumentException("video bytes are neither MP4, WebM nor GIF");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (fps > 0 && Double.isFinite(fps)) {
                data.put("fps", fps);
            }
            return MediaItem.withBlob(k, s, e, t, "video", data, copy, type);
        };
    }

    static Encoder histogram(Supplier<MediaEncoding.Histogram> histogram) {
        return (k, s, e, t) -> {
            MediaEncoding.Histogram h = histogram.get();
            List<Double> edges = new ArrayList<>(h.edges().length);
            for (double d : h.edges()) {
                edges.add(d);
            }
            List<Long> counts = new ArrayList<>(h.counts().length);
            for (long c : h.counts()) {
                counts.add(c);
            }
            return MediaItem.of(k, s, e, t, "histogram", Map.of("edges", edges, "counts", counts));
        };
    }

    static Encoder data(String type, Supplier<Map<String, Object>> data) {
        return (k, s, e, t) -> MediaItem.of(k, s, e, t, type, data.get());
    }

    static Map<String, Object> pointCloud(float[][] points) {
        if (points.length > 200_000) {
            throw new IllegalArgumentException("a point cloud holds at most 200,000 points, got " + points.length);
        }
        List<List<Double>> out = new ArrayList<>(points.length);
        for (int i = 0; i < points.length; i++) {
            float[] p = points[i];
            if (p.length != 3 && p.length != 6) {
                throw new IllegalArgumentException("point " + i + " needs 3 (x, y, z) or 6 (x, y, z, r, g, b) values");
            }
            List<Double> row = new ArrayList<>(p.length);
            for (float v : p) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("point " + i + " has a non-finite value");
                }
                row.add((double) v);
            }
            out.add(row);
        }
        return Map.of("points", out);
    }

    static Map<String, Object> confusion(ConfusionMatrix m) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!m.labels().isEmpty()) {
            data.put("labels", m.labels());
        }
        data.put("matrix", m.rows());
        return data;
    }

    static Map<String, Object> table(List<String> columns, List<List<Object>> rows) {
        if (rows.size() > 10_000) {
            throw new IllegalArgumentException("a table holds at most 10,000 rows, got " + rows.size());
        }
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<Object> row = rows.get(i);
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + i + " has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
            copy.add(new ArrayList<>(row));
        }
        return Map.of("columns", List.copyOf(columns), "rows", copy);
    }
}
