package dev.stepwise.server.metric;

import static dev.stepwise.server.support.TrackingFixtures.batch;
import static dev.stepwise.server.support.TrackingFixtures.decodeAll;
import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.StepwiseApplication;
import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * For random series with spikes, NaNs, infinities, repeated and sparse steps, the downsampled
 * envelope never hides a raw point: every non-NaN value lies within its bucket's [yMin, yMax], each
 * bucket's y is its last raw value, and the total counts every point in range.
 */
class SeriesEnvelopeTests {

    /** How steps are laid out. */
    enum Layout { DENSE, SPARSE, REPEATED, HUGE_GAPS }

    record Raw(long step, double value) {}

    private static ConfigurableApplicationContext context;
    private static Api api;
    private static String slug;

    @BeforeContainer
    static void startService() {
        context = new SpringApplicationBuilder(StepwiseApplication.class).run("--server.port=0");
        api = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
        slug = Api.unique("envelope");
        assertThat(api.post("/api/v1/projects", ApiTest.ADMIN, Map.of("slug", slug, "name", "Envelope")).status())
                .isEqualTo(201);
    }

    @AfterContainer
    static void stopService() {
        if (context != null) {
            context.close();
        }
    }

    @Property(tries = 60)
    void envelopeContainsEveryRawPoint(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6000) int size,
            @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 400) int maxPoints,
            @ForAll boolean narrowRange) {
        Random random = new Random(seed);
        List<Raw> raw = new ArrayList<>();
        long step = random.nextInt(1000);
        for (int i = 0; i < size; i++) {
            double v = random.nextGaussian();
            int kind = random.nextInt(100);
            if (kind < 5) {
                v = Double.NaN;
            } else if (kind < 6) {
                v = random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            } else if (kind < 9) {
                v = (random.nextBoolean() ? 1 : -1) * 1e6 * random.nextDouble();
            }
            raw.add(new Raw(step, v));
            step += switch (layout) {
                case DENSE -> 1;
                case SPARSE -> 1 + random.nextInt(300);
                case REPEATED -> random.nextInt(3);
                case HUGE_GAPS -> random.nextInt(10) == 0 ? random.nextInt(3_000_000) : 1 + random.nextInt(40);
            };
        }
        String run = api.post("/api/v1/projects/" + slug + "/runs", ApiTest.ADMIN, Map.of()).json().get("id").asString();
        List<Map<String, Object>> points = new ArrayList<>();
        raw.forEach(r -> points.add(point("m", r.step(), r.value(), null)));
        // Up to three consecutive uploads, so later ones merge into blocks the earlier ones began.
        int cut1 = random.nextInt(points.size() + 1);
        int cut2 = cut1 + random.nextInt(points.size() - cut1 + 1);
        List<List<Map<String, Object>>> uploads = List.of(points.subList(0, cut1), points.subList(cut1, cut2),
                points.subList(cut2, points.size()));
        for (int u = 0; u < uploads.size(); u++) {
            assertThat(api.post("/api/v1/projects/" + slug + "/runs/" + run + "/metrics", ApiTest.ADMIN,
                    batch("b" + u, uploads.get(u))).status()).isEqualTo(200);
        }

        long first = raw.get(0).step();
        long last = raw.get(raw.size() - 1).step();
        long from = first;
        long to = last;
        String range = "";
        if (narrowRange && last > first) {
            from = first + (long) (random.nextDouble() * (last - first));
            to = from + (long) (random.nextDouble() * (last - from));
            range = "&from=" + from + "&to=" + to;
        }
        var json = api.get("/api/v1/projects/" + slug + "/runs/" + run + "/series?key=m&maxPoints=" + maxPoints + range,
                ApiTest.ADMIN).json();
        List<Long> x = new ArrayList<>();
        json.get("points").get("x").forEach(n -> x.add(n.asLong()));
        List<Double> y = decodeAll(json.get("points").get("y"));
        List<Double> yMin = decodeAll(json.get("points").get("yMin"));
        List<Double> yMax = decodeAll(json.get("points").get("yMax"));

        final long lo = from;
        final long hi = to;
        List<Raw> inRange = raw.stream().filter(r -> r.step() >= lo && r.step() <= hi).toList();
        assertThat(json.get("total").asLong()).isEqualTo(inRange.size());
        assertThat(x.size()).isEqualTo(y.size()).isEqualTo(yMin.size()).isEqualTo(yMax.size());
        if (!json.get("downsampled").asBoolean()) {
            assertThat(inRange.size()).isLessThanOrEqualTo(Math.max(maxPoints, inRange.size()));
            assertThat(x).containsExactlyElementsOf(inRange.stream().map(Raw::step).toList());
            assertThat(y).usingElementComparator(SeriesEnvelopeTests::sameDouble)
                    .containsExactlyElementsOf(inRange.stream().map(Raw::value).toList());
            return;
        }
        assertThat(inRange.size()).isGreaterThan(maxPoints);
        assertThat(x.size()).isLessThanOrEqualTo(maxPoints).isPositive();
        assertThat(x).isSorted().doesNotHaveDuplicates();
        Raw[] lastInBucket = new Raw[x.size()];
        for (Raw r : inRange) {
            int bucket = firstAtLeast(x, r.step());
            assertThat(bucket).as("bucket of step %d", r.step()).isLessThan(x.size());
            if (!Double.isNaN(r.value())) {
                assertThat(r.value()).as("value %s at step %d within [%s, %s]", r.value(), r.step(), yMin.get(bucket),
                        yMax.get(bucket)).isBetween(yMin.get(bucket), yMax.get(bucket));
            }
            lastInBucket[bucket] = r;
        }
        for (int i = 0; i < x.size(); i++) {
            assertThat(lastInBucket[i]).as("bucket %d is not empty", i).isNotNull();
            assertThat(x.get(i)).isEqualTo(lastInBucket[i].step());
            assertThat(sameDouble(y.get(i), lastInBucket[i].value())).as("y of bucket %d", i).isZero();
        }
    }

    private static int firstAtLeast(List<Long> sorted, long step) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid) < step) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int sameDouble(Double a, Double b) {
        return Double.compare(a, b);
    }
}
