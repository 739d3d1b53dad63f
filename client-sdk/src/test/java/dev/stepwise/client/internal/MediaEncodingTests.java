package dev.stepwise.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MediaEncodingTests {

    @Test
    void wavHasTheRiffHeaderOf16BitMonoPcmAndClampedLittleEndianSamples() {
        byte[] wav = MediaEncoding.wav(new float[] {0f, 1f, -1f, 0.5f, 2f, Float.NaN}, 8000);
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).isEqualTo(36 + 12);
        assertThat(new String(wav, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getInt(16)).isEqualTo(16);
        assertThat(b.getShort(20)).isEqualTo((short) 1);
        assertThat(b.getShort(22)).isEqualTo((short) 1);
        assertThat(b.getInt(24)).isEqualTo(8000);
        assertThat(b.getInt(28)).isEqualTo(16000);
        assertThat(b.getShort(32)).isEqualTo((short) 2);
        assertThat(b.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(wav, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).isEqualTo(12);
        assertThat(wav).hasSize(56);
        short[] samples = new short[6];
        b.position(44);
        b.asShortBuffer().get(samples);
        assertThat(samples).containsExactly((short) 0, (short) 32767, (short) -32767, (short) 16384, (short) 32767,
                (short) 0);
    }

    @Test
    void grayAndRgbaArraysRoundTripThroughPngWithTheirPixelValues() throws IOException {
        float[][] gray = {{0f, 0.5f, 1f}, {2f, -1f, 0.25f}};
        BufferedImage g = ImageIO.read(new ByteArrayInputStream(MediaEncoding.png(MediaEncoding.image(gray))));
        assertThat(g.getWidth()).isEqualTo(3);
        assertThat(g.getHeight()).isEqualTo(2);
        int[] expected = {0, 128, 255, 255, 0, 64};
        for (int i = 0; i < 6; i++) {
            assertThat(g.getRaster().getSample(i % 3, i / 3, 0)).as("pixel %d", i).isEqualTo(expected[i]);
        }
        float[][][] rgba = {{{1f, 0f}}, {{0f, 0.5f}}, {{0.2f, 1f}}, {{1f, 0.4f}}};
        byte[] png = MediaEncoding.png(MediaEncoding.image(rgba));
        assertThat(MediaEncoding.imageType(png)).isEqualTo("image/png");
        assertThat(MediaEncoding.imageSize(png)).containsExactly(2, 1);
        BufferedImage c = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(c.getRGB(0, 0)).isEqualTo(255 << 24 | 255 << 16 | 0 << 8 | 51);
        assertThat(c.getRGB(1, 0)).isEqualTo(102 << 24 | 0 << 16 | 128 << 8 | 255);
        assertThatThrownBy(() -> MediaEncoding.image(new float[2][2][2])).hasMessageContaining("1, 3 or 4 channels");
    }

    @Test
    void histogramBinsMatchAReferenceComputationOfNumpysRule() {
        Random random = new Random(7);
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * 3 + 1;
        }
        values[5] = Double.NaN;
        MediaEncoding.Histogram h = MediaEncoding.histogram(values, 30);
        double min = Arrays.stream(values).filter(Double::isFinite).min().orElseThrow();
        double max = Arrays.stream(values).filter(Double::isFinite).max().orElseThrow();
        assertThat(h.edges()).hasSize(31);
        assertThat(h.edges()[0]).isEqualTo(min);
        assertThat(h.edges()[30]).isEqualTo(max);
        long[] reference = new long[30];
        for (double v : values) {
            if (!Double.isFinite(v)) {
                continue;
            }
            // numpy: bin i holds edges[i] <= v < edges[i + 1]; the last bin also holds max.
            for (int i = 0; i < 30; i++) {
                if (v >= h.edges()[i] && (v < h.edges()[i + 1] || i == 29)) {
                    reference[i]++;
                    break;
                }
            }
        }
        assertThat(h.counts()).containsExactly(reference);
        assertThat(Arrays.stream(h.counts()).sum()).isEqualTo(99_999);
        MediaEncoding.Histogram same = MediaEncoding.histogram(new double[] {2, 2, 2}, 2);
        assertThat(same.edges()).containsExactly(1.5, 2.0, 2.5);
        assertThat(same.counts()).containsExactly(0, 3);
        assertThatThrownBy(() -> MediaEncoding.histogram(new double[] {0, 0}, new long[] {1}))
                .hasMessageContaining("ascending");
    }

    @Test
    void contentTypesAreToldByMagicNumbers() {
        assertThat(MediaEncoding.imageType(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0})).isEqualTo("image/jpeg");
        assertThat(MediaEncoding.imageType("<svg></svg>".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(MediaEncoding.videoType(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}))
                .isEqualTo("video/mp4");
        assertThat(MediaEncoding.videoType(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3})).isEqualTo("video/webm");
        assertThat(MediaEncoding.videoType("GIF89a".getBytes(StandardCharsets.US_ASCII))).isEqualTo("image/gif");
    }
}
