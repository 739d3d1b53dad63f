package dev.stepwise.server.metric;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.access.ProjectRole;
import dev.stepwise.server.auth.ApiKeyPrincipal;
import dev.stepwise.server.auth.ApiKeyScope;
import dev.stepwise.server.metric.MetricIngestService.IngestResult;
import dev.stepwise.server.metric.SeriesDownsampler.Axis;
import dev.stepwise.server.metric.SeriesDownsampler.Series;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.support.WebSlice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The metric endpoints' parameters, status codes and JSON shape in a web slice; storage is mocked. */
@WebSlice(MetricController.class)
class MetricControllerTests {

    private static final UUID RUN = UUID.fromString("1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ProjectAccess access;

    @MockitoBean
    RunService runs;

    @MockitoBean
    MetricIngestService ingest;

    @MockitoBean
    MetricReads reads;

    @MockitoBean
    SeriesDownsampler downsampler;

    @MockitoBean
    EpochReducer epochs;

    @BeforeEach
    void grant() {
        given(access.require(eq("vision"), any(Permission.class))).willReturn(new ProjectAccess.Granted(
                new ProjectInfo(3, "vision", "Vision", null, Instant.EPOCH),
                new ApiKeyPrincipal(UUID.randomUUID(), "sw_abc", 3, "vision", ApiKeyScope.WRITE), ProjectRole.WRITER));
    }

    @Test
    void anUploadAnswersAcceptedAndDuplicate() throws Exception {
        given(ingest.ingest(eq(3L), eq(RUN), any(java.io.InputStream.class))).willReturn(new IngestResult(2, false));
        mvc.perform(post("/api/v1/projects/vision/runs/" + RUN + "/metrics").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"batchId\":\"b1\",\"points\":[{\"key\":\"loss\",\"step\":1,\"value\":1}]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2))
                .andExpect(jsonPath("$.duplicate").value(false));
    }

    @Test
    void seriesParametersOutOfRangeAreFieldProblems() throws Exception {
        String series = "/api/v1/projects/vision/runs/" + RUN + "/series";
        mvc.perform(get(series).param("key", "loss").param("maxPoints", "0"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("maxPoints"));
        mvc.perform(get(series).param("key", "loss").param("maxPoints", "10001"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("maxPoints"));
        mvc.perform(get(series).param("key", "loss").param("x", "wallclock"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("x"));
        mvc.perform(get(series).param("key", "loss").param("from", "yesterday"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("from"));
        mvc.perform(get(series).param("key", "loss").param("maxPoints", "many"))
                .andExpect(status().isBadRequest());
        mvc.perform(get(series)).andExpect(status().isBadRequest());
        verifyNoInteractions(downsampler);
    }

    @Test
    void aSeriesComesBackWithItsEnvelopeAndAnUnknownKeyIs404() throws Exception {
        MetricReads.SeriesRef ref = new MetricReads.SeriesRef(9, 5, 10, 20);
        given(reads.series(RUN, "loss")).willReturn(Optional.of(ref));
        given(downsampler.series(eq(ref), eq(Axis.TIME), anyInt(), eq(1_700_000_000_000L), eq(null)))
                .willReturn(new Series(5, true, List.of(10L, 20L), List.of(0.5, Double.NaN), List.of(0.1, 0.2),
                        List.of(50.0, 0.3)));
        mvc.perform(get("/api/v1/projects/vision/runs/" + RUN + "/series").param("key", "loss").param("x", "time")
                        .param("from", "2023-11-14T22:13:20Z"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.x").value("time"))
                .andExpect(jsonPath("$.downsampled").value(true))
                .andExpect(jsonPath("$.points.yMax[0]").value(50.0))
                .andExpect(jsonPath("$.points.y[1]").value("NaN"));
        given(reads.series(RUN, "nope")).willReturn(Optional.empty());
        mvc.perform(get("/api/v1/projects/vision/runs/" + RUN + "/series").param("key", "nope"))
                .andExpect(status().isNotFound());
    }
}
