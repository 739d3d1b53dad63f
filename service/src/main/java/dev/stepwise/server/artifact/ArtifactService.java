package dev.stepwise.server.artifact;

import dev.stepwise.server.run.RunService;
import dev.stepwise.server.web.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Artifact references of a run; the caller has checked project access. */
@Service
public class ArtifactService {

    /**
     * A new reference; {@code kind} defaults to {@code file}. {@code id} is optional: a client that
     * chooses it can repeat the request safely (the same reference again is not stored twice).
     */
    public record NewArtifact(UUID id, String name, String uri, String kind, String description, Long sizeBytes,
            String sha256) {}

    /** The stored reference, and whether this call stored it (false: it was there already). */
    public record Added(ArtifactRecord artifact, boolean created) {}

    private final ArtifactRepository artifacts;
    private final RunService runs;
    private final Clock clock;

    ArtifactService(ArtifactRepository artifacts, RunService runs, Clock clock) {
        this.artifacts = artifacts;
        this.runs = runs;
        this.clock = clock;
    }

    /**
     * Stores a reference. With a client-chosen id that is already taken: the same reference of the
     * same run comes back unchanged ({@code created} false); anything else is a 409 problem.
     */
    @Transactional
    public Added add(long projectId, UUID runId, NewArtifact a) {
        runs.requireExists(projectId, runId);
        String kind = a.kind() == null || a.kind().isBlank() ? "file" : a.kind();
        String sha256 = a.sha256() == null ? null : a.sha256().toLowerCase(Locale.ROOT);
        UUID id = a.id() != null ? a.id() : UUID.randomUUID();
        Instant now = clock.instant();
        if (artifacts.insertIfAbsent(id, runId, a.name(), a.uri(), kind, a.description(), a.sizeBytes(), sha256,
                now) == 1) {
            return new Added(new ArtifactRecord(id, a.name(), a.uri(), kind, a.description(), a.sizeBytes(), sha256,
                    now), true);
        }
        Artifact existing = artifacts.findById(id).orElseThrow(() -> conflict(id));
        ArtifactRecord r = existing.toRecord();
        boolean same = existing.runId().equals(runId) && r.name().equals(a.name()) && r.uri().equals(a.uri())
                && r.kind().equals(kind) && Objects.equals(r.description(), a.description())
                && Objects.equals(r.sizeBytes(), a.sizeBytes()) && Objects.equals(r.sha256(), sha256);
        if (!same) {
            throw conflict(id);
        }
        return new Added(r, false);
    }

    private static ProblemException conflict(UUID id) {
        return new ProblemException(HttpStatus.CONFLICT, "Artifact id " + id
                + " is already used by a different artifact reference; choose a new id");
    }

    @Transactional(readOnly = true)
    public List<ArtifactRecord> list(long projectId, UUID runId) {
        runs.requireExists(projectId, runId);
        return artifacts.findByRunIdOrderByCreatedAtAscIdAsc(runId).stream().map(Artifact::toRecord).toList();
    }
}
