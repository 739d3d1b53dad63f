package dev.stepwise.client.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;

/**
 * The encoders behind the rich-data methods of {@code Run}: PNG through {@code javax.imageio}
 * from images and from normalized {@code float} arrays (seed 003's {@code (H, W)} and
 * {@code (C, H, W)} shapes, values in [0, 1] clamped), 16-bit PCM mono WAV from samples in
 * [-1, 1], the content type of given image and video bytes by their magic numbers, and histograms
 * binned like the seed tracker ({@code numpy.histogram}: equal-width bins over [min, max], the
 * last bin closed). Pure functions. Not API: may change without notice. Thread-safe.
 */
public final class MediaEncoding {

    /** Default number of histogram bins, as the seed tracker's. */
    public static final int DEFAULT_BINS = 30;

    private MediaEncoding() {
    }

    /**
     * Encodes an image as PNG.
     *
     * @param image the image
     * @return PNG bytes
     */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Turns a gray image {@code [H][W]} with values in [0, 1] into an 8-bit gray image.
     *
     * @param gray the rows
     * @return the image
     * @throws IllegalArgumentException when empty or ragged
     */
    public static BufferedImage image(float[][] gray) {
        return image(new float[][][] {gray});
    }

    /**
     * Turns a {@code [C][H][W]} image with values in [0, 1] into an 8-bit image: C = 1 gray,
     * 3 RGB, 4 RGBA. Values outside [0, 1] are clamped, NaN is 0.
     *
     * @param chw channels, rows, columns
     * @return the image
     * @throws IllegalArgumentException for another channel count, an empty or ragged array
     */
    public static BufferedImage image(float[][][] chw) {
        int c = chw.length;
        if (c != 1 && c != 3 && c != 4) {
            throw new IllegalArgumentException("an image needs 1, 3 or 4 channels, got " + c);
        }
        int h = chw[0].length;
        int w = h == 0 ? 0 : chw[0][0].length;
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException("an image needs at least one pixel");
        }
        for (float[][] ch : chw) {
            if (ch.length != h) {
                throw new IllegalArgumentException("every channel needs " + h + " rows");
            }
            for (float[] row : ch) {
                if (row.length != w) {
                    throw new IllegalArgumentException("every row needs " + w + " values");
                }
            }
        }
        int type = c == 1 ? BufferedImage.TYPE_BYTE_GRAY : c == 3 ? BufferedImage.TYPE_INT_RGB
                : BufferedImage.TYPE_INT_ARGB;
        BufferedImage img = new BufferedImage(w, h, type);
        if (c == 1) {
            byte[] px = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = (byte) byte255(chw[0][y][x]);
                }
            }
            img.getRaster().setDataElements(0, 0, w, h, px);
            return img;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = c == 4 ? byte255(chw[3][y][x]) : 255;
                img.setRGB(x, y, a << 24 | byte255(chw[0][y][x]) << 16 | byte255(chw[1][y][x]) << 8
                        | byte255(chw[2][y][x]));
            }
        }
        return img;
    }

    /** A value in [0, 1] as 0..255, rounded; clamped, NaN as 0. */
    static int byte255(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }

    /**
     * The type of image bytes by their magic number.
     *
     * @param b the bytes
     * @return {@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp}, or {@code null}
     */
    public static String imageType(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        return null;
    }

    /**
     * The type of video bytes by their magic number.
     *
     * @param b the bytes
     * @return {@code video/mp4}, {@code video/webm}, {@code image/gif}, or {@code null}
     */
    public static String videoType(byte[] b) {
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return "video/mp4";
        }
        if (startsWith(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "video/webm";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int at, int... magic) {
        if (b == null || b.length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[at + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the width and height of encoded image bytes.
     *
     * @param bytes PNG, JPEG, GIF (or WebP when a reader is installed)
     * @return {@code {width, height}}, or {@code null} when no reader knows the bytes
     */
    public static int[] imageSize(byte[] bytes) {
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G') && bytes.length >= 24) {
            ByteBuffer bb = ByteBuffer.wrap(bytes, 16, 8).order(ByteOrder.BIG_ENDIAN);
            return new int[] {bb.getInt(), bb.getInt()};
        }
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            return img == null ? null : new int[] {img.getWidth(), img.getHeight()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Encodes mono samples in [-1, 1] as a 16-bit PCM WAV file (values clamped, NaN as 0).
     *
     * @param samples the samples
     * @param sampleRate samples per second, at least 1
     * @return the WAV bytes: a 44-byte RIFF header, then little-endian samples
     */
    public static byte[] wav(float[] samples, int sampleRate) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be >= 1, was " + sampleRate);
        }
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes).put(new byte[] {'W', 'A', 'V', 'E'});
        b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
        for (float s : samples) {
            float v = Float.isNaN(s) ? 0 : Math.max(-1f, Math.min(1f, s));
            b.putShort((short) Math.round(v * 32767f));
        }
        return b.array();
    }

    /**
     * A histogram: {@code n + 1} ascending edges and {@code n} counts.
     *
     * @param edges the bin edges
     * @param counts the counts per bin
     */
    public record Histogram(double[] edges, long[] counts) {
    }

    /**
     * Bins values like {@code numpy.histogram(values, bins)}: equal-width bins over [min, max]
     * of the finite values (a value equal to max falls in the last bin); all values equal: the
     * range is [v - 0.5, v + 0.5]; no finite value: [0, 1]. Non-finite values are not counted.
     *
     * @param values the values
     * @param bins number of bins, 1 to 1024
     * @return the histogram
     */
    public static Histogram histogram(double[] values, int bins) {
        if (bins < 1 || bins > 1024) {
            throw new IllegalArgumentException("bins must be 1 to 1024, was " + bins);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            min = 0;
            max = 1;
        } else if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        double[] edges = new double[bins + 1];
        double width = (max - min) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = min + i * width;
        }
        edges[bins] = max;
        long[] counts = new long[bins];
        double scale = bins / (max - min);
        for (double v : values) {
            if (!Double.isFinite(v)) {
                continue;
            }
            int i = (int) ((v - min) * scale);
            if (i >= bins) {
                i = bins - 1;
            }
            // Rounding may put a value next to an edge one bin off: the edges decide, as in numpy.
            if (i > 0 && v < edges[i]) {
                i--;
            } else if (i < bins - 1 && v >= edges[i + 1]) {
                i++;
            }
            counts[i]++;
        }
        return new Histogram(edges, counts);
    }

    /**
     * Checks given edges and counts: 1 to 1024 bins, ascending finite edges, counts at least 0.
     *
     * @param edges n + 1 edges
     * @param counts n counts
     * @return the histogram, copied
     */
    public static Histogram histogram(double[] edges, long[] counts) {
        if (counts.length < 1 || counts.length > 1024 || edges.length != counts.length + 1) {
            throw new IllegalArgumentException("a histogram needs 1 to 1024 counts and one edge more, got "
                    + edges.length + " edges and " + counts.length + " counts");
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1])) {
                throw new IllegalArgumentException("histogram edges must be finite and ascending (edge " + i + ")");
            }
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("histogram counts must be >= 0");
            }
        }
        return new Histogram(edges.clone(), counts.clone());
    }
}
