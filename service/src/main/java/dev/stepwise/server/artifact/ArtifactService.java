package dev.stepwise.server.artifact;

import dev.stepwise.server.run.RunService;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Artifact references of a run; the caller has checked project access. */
@Service
public class ArtifactService {

    /** A new reference; {@code kind} defaults to {@code file}. */
    public record NewArtifact(String name, String uri, String kind, String description, Long sizeBytes,
            String sha256) {}

    private final ArtifactRepository artifacts;
    private final RunService runs;
    private final Clock clock;

    ArtifactService(ArtifactRepository artifacts, RunService runs, Clock clock) {
        this.artifacts = artifacts;
        this.runs = runs;
        this.clock = clock;
    }

    @Transactional
    public ArtifactRecord add(long projectId, UUID runId, NewArtifact a) {
        runs.requireExists(projectId, runId);
        String kind = a.kind() == null || a.kind().isBlank() ? "file" : a.kind();
        return artifacts.save(new Artifact(runId, a.name(), a.uri(), kind, a.description(), a.sizeBytes(),
                a.sha256() == null ? null : a.sha256().toLowerCase(java.util.Locale.ROOT), clock.instant()))
                .toRecord();
    }

    @Transactional(readOnly = true)
    public List<ArtifactRecord> list(long projectId, UUID runId) {
        runs.requireExists(projectId, runId);
        return artifacts.findByRunIdOrderByCreatedAtAscIdAsc(runId).stream().map(Artifact::toRecord).toList();
    }
}
