package dev.stepwise.server.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A run as other features see it: its fields, tags and config (values keep their JSON type). */
public record RunRecord(UUID id, long projectId, String project, String name, String group, List<String> tags,
        Map<String, JsonNode> config, String notes, RunStatus status, Instant createdAt, Instant startedAt,
        Instant endedAt, Instant heartbeatAt, String createdBy) {}
