package dev.stepwise.server.metric;

import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EpochSummaryTests extends ApiTest {

    /** Reference reductions computed straightforwardly from the points, in upload order. */
    private static double reference(String reduction, List<double[]> stepsAndValues) {
        List<Double> finite = stepsAndValues.stream().map(sv -> sv[1]).filter(Double::isFinite).sorted().toList();
        return switch (reduction) {
            case "mean" -> finite.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            case "max" -> finite.get(finite.size() - 1);
            case "median" -> finite.size() % 2 == 1 ? finite.get(finite.size() / 2)
                    : (finite.get(finite.size() / 2 - 1) + finite.get(finite.size() / 2)) / 2;
            case "last" -> {
                double[] last = stepsAndValues.get(0);
                for (double[] sv : stepsAndValues) {
                    if (sv[0] >= last[0]) {
                        last = sv;
                    }
                }
                yield last[1];
            }
            default -> throw new IllegalArgumentException(reduction);
        };
    }

    @Test
    void defaultReductionsMatchAReferenceComputation() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        Map<String, String> expectedReduction = Map.of("train/loss", "mean", "opt/LR", "last", "train/grad_norm",
                "median", "error_med", "median", "epoch/time", "max", "iter_budget", "last");
        Random random = new Random(11);
        Map<String, TreeMap<Integer, List<double[]>>> byKeyAndEpoch = new HashMap<>();
        List<Map<String, Object>> points = new ArrayList<>();
        for (String key : expectedReduction.keySet()) {
            for (int epoch = 0; epoch < 5; epoch++) {
                int count = 3 + random.nextInt(8) + (epoch % 2); // both odd and even counts for medians
                for (int i = 0; i < count; i++) {
                    long step = epoch * 100L + random.nextInt(100);
                    double value = i == 1 && epoch == 2 ? Double.NaN : random.nextGaussian() * 10;
                    points.add(point(key, step, value, epoch));
                    byKeyAndEpoch.computeIfAbsent(key, k -> new TreeMap<>())
                            .computeIfAbsent(epoch, e -> new ArrayList<>()).add(new double[] {step, value});
                }
            }
        }
        points.add(point("train/loss", 999, 123.0, null)); // no epoch: left out
        upload(slug, run, "epochs-1", points.subList(0, points.size() / 2));
        upload(slug, run, "epochs-2", points.subList(points.size() / 2, points.size()));

        var epochs = api.get(runPath(slug, run) + "/epochs", ADMIN).json().get("epochs");
        assertThat(epochs).hasSize(expectedReduction.size() * 5);
        epochs.forEach(e -> {
            String key = e.get("key").asString();
            int epoch = e.get("epoch").asInt();
            String reduction = expectedReduction.get(key);
            List<double[]> raw = byKeyAndEpoch.get(key).get(epoch);
            assertThat(e.get("reduction").asString()).as(key).isEqualTo(reduction);
            assertThat(e.get("n").asLong()).isEqualTo(raw.size());
            double expected = reference(reduction, raw);
            if (Double.isNaN(expected)) {
                assertThat(e.get("value").asString()).isEqualTo("NaN");
            } else {
                assertThat(e.get("value").asDouble()).as("%s epoch %d (%s)", key, epoch, reduction)
                        .isCloseTo(expected, within(1e-9));
            }
        });
        assertThat(api.get(runPath(slug, run) + "/epochs?key=opt/LR", ADMIN).json().get("epochs")).hasSize(5);
    }

    @Test
    void projectOverrideChangesTheReductionForMatchingKeys() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        upload(slug, run, null, List.of(point("val/acc", 1, 0.2, 0), point("val/acc", 2, 0.9, 0),
                point("val/acc", 3, 0.4, 0), point("train/acc", 1, 0.5, 0)));
        var put = api.put("/api/v1/projects/" + slug + "/epoch-reductions", ADMIN,
                Map.of("rules", List.of(Map.of("pattern", "val/*", "reduction", "max"),
                        Map.of("pattern", "*/acc", "reduction", "min"))));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        var epochs = api.get(runPath(slug, run) + "/epochs", ADMIN).json().get("epochs");
        assertThat(epochs.get(0).get("key").asString()).isEqualTo("train/acc");
        assertThat(epochs.get(0).get("reduction").asString()).isEqualTo("min");
        assertThat(epochs.get(1).get("reduction").asString()).isEqualTo("max");
        assertThat(epochs.get(1).get("value").asDouble()).isEqualTo(0.9);
        assertThat(api.put("/api/v1/projects/" + slug + "/epoch-reductions", ADMIN,
                Map.of("rules", List.of(Map.of("pattern", "x", "reduction", "mode")))).status()).isEqualTo(400);
    }

    @Test
    void epochSummariesAreAlwaysFresh() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        for (int i = 0; i < 5; i++) {
            upload(slug, run, null, List.of(point("loss", i, i, 0)));
            var epoch = api.get(runPath(slug, run) + "/epochs?key=loss", ADMIN).json().get("epochs").get(0);
            assertThat(epoch.get("n").asLong()).isEqualTo(i + 1);
            assertThat(epoch.get("value").asDouble()).isEqualTo(i / 2.0);
        }
    }

    @Test
    void seriesByEpochAndTimeSkipPointsWithoutEpoch() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> p = point("loss", i, i, i < 20 ? i / 10 : null);
            p.put("time", 1_700_000_000_000L + i * 1000L);
            points.add(p);
        }
        upload(slug, run, null, points);
        var byEpoch = api.get(runPath(slug, run) + "/series?key=loss&x=epoch", ADMIN).json();
        assertThat(byEpoch.get("total").asLong()).isEqualTo(20);
        var downsampled = api.get(runPath(slug, run) + "/series?key=loss&x=epoch&maxPoints=2", ADMIN).json();
        assertThat(downsampled.get("points").get("x").toString()).isEqualTo("[0,1]");
        assertThat(downsampled.get("points").get("y").toString()).isEqualTo("[9.0,19.0]");
        assertThat(downsampled.get("points").get("yMin").toString()).isEqualTo("[0.0,10.0]");
        var byTime = api.get(runPath(slug, run) + "/series?key=loss&x=time&maxPoints=3&from=2023-11-14T22:13:20Z",
                ADMIN).json();
        assertThat(byTime.get("total").asLong()).isEqualTo(30);
        assertThat(byTime.get("points").get("x").get(2).asLong()).isEqualTo(1_700_000_029_000L);
        assertThat(byTime.get("points").get("yMax").get(2).asDouble()).isEqualTo(29.0);
        assertThat(api.get(runPath(slug, run) + "/series?key=loss&x=wall", ADMIN).status()).isEqualTo(400);
        assertThat(api.get(runPath(slug, run) + "/series?key=loss&maxPoints=0", ADMIN).status()).isEqualTo(400);
        assertThat(api.get(runPath(slug, run) + "/series?key=nope", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void seriesByEpochBucketsManyEpochsAndKeepsTheirSpikes() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            points.add(point("loss", i, i == 1234 ? 50.0 : 1.0 + (i % 7) / 10.0, i));
        }
        upload(slug, run, null, points);
        var series = api.get(runPath(slug, run) + "/series?key=loss&x=epoch&maxPoints=100", ADMIN).json();
        assertThat(series.get("total").asLong()).isEqualTo(3000);
        var x = series.get("points").get("x");
        assertThat(x.size()).isEqualTo(100);
        // Each bucket spans 30 epochs and is reported at its last epoch.
        assertThat(x.get(0).asLong()).isEqualTo(29);
        assertThat(x.get(99).asLong()).isEqualTo(2999);
        var yMax = series.get("points").get("yMax");
        assertThat(yMax.get(1234 / 30).asDouble()).isEqualTo(50.0);
        assertThat(yMax.get(0).asDouble()).isEqualTo(1.6);
        assertThat(series.get("points").get("yMin").get(5).asDouble()).isEqualTo(1.0);
    }
}
