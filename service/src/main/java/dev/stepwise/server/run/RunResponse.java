package dev.stepwise.server.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A run as the API returns it; {@code summary} only on single-run reads (and when requested in lists). */
public record RunResponse(UUID id, String project, String name, String group, List<String> tags,
        Map<String, JsonNode> config, String notes, RunStatus status, Instant createdAt, Instant startedAt,
        Instant endedAt, Instant heartbeatAt, String createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, ?> summary) {

    public static RunResponse of(RunRecord r, Map<String, ?> summary) {
        return new RunResponse(r.id(), r.project(), r.name(), r.group(), r.tags(), r.config(), r.notes(), r.status(),
                r.createdAt(), r.startedAt(), r.endedAt(), r.heartbeatAt(), r.createdBy(), summary);
    }
}
