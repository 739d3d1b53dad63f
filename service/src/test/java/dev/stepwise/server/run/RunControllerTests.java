package dev.stepwise.server.run;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.access.ProjectRole;
import dev.stepwise.server.auth.ApiKeyPrincipal;
import dev.stepwise.server.auth.ApiKeyScope;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.support.WebSlice;
import dev.stepwise.server.web.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The run endpoints' HTTP contract in a web slice (Spring PetClinic style): request mapping,
 * validation, status codes and JSON shape, with the services behind the controller mocked. Access
 * control and persistence have their own tests against the real application and database
 * ({@code AuthorizationMatrixTests}, {@code RunLifecycleTests}).
 */
@WebSlice(RunController.class)
class RunControllerTests {

    private static final UUID RUN = UUID.fromString("7f9c1a52-3d2b-4e7a-9d1e-2b8f6c4a0e11");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ProjectAccess access;

    @MockitoBean
    RunService runs;

    @MockitoBean
    RunSummaries summaries;

    @BeforeEach
    void grantProject() {
        ProjectAccess.Granted granted = new ProjectAccess.Granted(
                new ProjectInfo(3, "vision", "Vision", null, T0),
                new ApiKeyPrincipal(UUID.randomUUID(), "sw_abc", 3, "vision", ApiKeyScope.WRITE), ProjectRole.WRITER);
        given(access.require(eq("vision"), any(Permission.class))).willReturn(granted);
        given(access.require(eq("secret"), any(Permission.class)))
                .willThrow(ProblemException.notFound("Project 'secret' not found"));
    }

    private static RunRecord run(RunStatus status) {
        return new RunRecord(RUN, 3, "vision", "resnet", "sweep-1", List.of("a"), Map.of(), null, status, T0, T0,
                null, T0, "key:sw_abc");
    }

    @Test
    void creatingARunAnswers201WithTheRunAndResuming200() throws Exception {
        given(runs.create(eq(3L), any(), eq("key:sw_abc"))).willReturn(new RunService.Created(run(RunStatus.RUNNING), true));
        mvc.perform(post("/api/v1/projects/vision/runs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\": \"" + RUN + "\", \"name\": \"resnet\", \"tags\": [\"a\"]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").value(RUN.toString()))
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andExpect(jsonPath("$.project").value("vision"));
        given(runs.create(eq(3L), any(), any())).willReturn(new RunService.Created(run(RunStatus.RUNNING), false));
        mvc.perform(post("/api/v1/projects/vision/runs").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isOk());
    }

    @Test
    void invalidBodiesAreProblemsNamingTheFieldAndReachNoService() throws Exception {
        mvc.perform(post("/api/v1/projects/vision/runs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"" + "n".repeat(251) + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        mvc.perform(post("/api/v1/projects/vision/runs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"colour\": \"red\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("colour"));
        mvc.perform(post("/api/v1/projects/vision/runs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\": \"not-a-uuid\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("id"));
        mvc.perform(patch("/api/v1/projects/vision/runs/" + RUN).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"status\": \"SLEEPING\"}"))
                .andExpect(status().isBadRequest());
        verify(runs, never()).create(anyLong(), any(), any());
        verify(runs, never()).update(anyLong(), any(), any());
    }

    @Test
    void aProjectTheCallerCannotSeeIsA404Problem() throws Exception {
        mvc.perform(get("/api/v1/projects/secret/runs"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Not Found"))
                .andExpect(jsonPath("$.detail").value("Project 'secret' not found"));
        verifyNoInteractions(runs);
    }

    @Test
    void theListPassesItsParametersAndAddsSummariesOnlyWhenAsked() throws Exception {
        given(runs.list(eq(3L), any())).willReturn(new RunService.RunPage(List.of(run(RunStatus.FINISHED)), "next"));
        given(summaries.of(eq(List.of(RUN)), eq(List.of("val/acc")))).willReturn(Map.of(RUN,
                Map.of("val/acc", new SummaryView(0.1, 0.9, 0.5, 0.2, 0.9, 10, 0, 9))));
        mvc.perform(get("/api/v1/projects/vision/runs").param("filter", "config.lr > 0.01")
                        .param("sort", "-summary.val/acc.max").param("limit", "5").param("summaryKey", "val/acc"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.runs[0].status").value("FINISHED"))
                .andExpect(jsonPath("$.runs[0].summary['val/acc'].max").value(0.9))
                .andExpect(jsonPath("$.runs[0].summary['val/acc'].first_step").value(0))
                .andExpect(jsonPath("$.nextCursor").value("next"));
        verify(runs).list(eq(3L), argThat(p -> p.filter().equals(List.of("config.lr > 0.01"))
                && p.sort().equals("-summary.val/acc.max") && p.limit() == 5));

        mvc.perform(get("/api/v1/projects/vision/runs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.runs[0].summary").doesNotExist());
    }

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfterNotAServerError() throws Exception {
        given(runs.list(eq(3L), any())).willThrow(
                new org.springframework.jdbc.CannotGetJdbcConnectionException("Connection is not available"));
        mvc.perform(get("/api/v1/projects/vision/runs"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                        .string("Retry-After", "5"))
                .andExpect(jsonPath("$.title").value("Service Unavailable"));
    }
}
