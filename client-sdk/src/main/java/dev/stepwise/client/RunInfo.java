package dev.stepwise.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A run as stored on the server (the seed tracker's {@code RunInfo}), read with
 * {@link StepwiseApi#run(UUID)} or {@link StepwiseApi#runs(RunQuery)}.
 *
 * <p>Immutable and thread-safe: the collections are unmodifiable.
 *
 * @param id the run id
 * @param project the project slug
 * @param name the name, or {@code null}
 * @param group the group, or {@code null}
 * @param tags the tags, in order
 * @param config key to value as plain Java objects ({@code String}, {@code Long}, {@code Double},
 *               {@code Boolean}, {@code List}, {@code Map}, or {@code null})
 * @param notes the notes, or {@code null}
 * @param status the status
 * @param createdAt when the run was created
 * @param startedAt when the run (last) started, or {@code null}
 * @param endedAt when the run ended, or {@code null} while open
 * @param heartbeatAt the last heartbeat, or {@code null}
 * @param createdBy who created the run, or {@code null}
 * @param summary metric key to statistics: filled by {@link StepwiseApi#run(UUID)}, empty in run lists
 */
public record RunInfo(UUID id, String project, String name, String group, List<String> tags,
                      Map<String, Object> config, String notes, RunStatus status, Instant createdAt,
                      Instant startedAt, Instant endedAt, Instant heartbeatAt, String createdBy,
                      Map<String, MetricSummary> summary) {
}
