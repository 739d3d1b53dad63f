package dev.stepwise.server.artifact;

import dev.stepwise.server.media.BlobService;
import dev.stepwise.server.media.BlobService.BlobInfo;
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
            String sha256, String blob) {

        public NewArtifact(UUID id, String name, String uri, String kind, String description, Long sizeBytes,
                String sha256) {
            this(id, name, uri, kind, description, sizeBytes, sha256, null);
        }
    }

    /** The stored reference, and whether this call stored it (false: it was there already). */
    public record Added(ArtifactRecord artifact, boolean created) {}

    private final ArtifactRepository artifacts;
    private final RunService runs;
    private final BlobService blobs;
    private final Clock clock;

    ArtifactService(ArtifactRepository artifacts, RunService runs, BlobService blobs, Clock clock) {
        this.artifacts = artifacts;
        this.runs = runs;
        this.blobs = blobs;
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
        String uri = a.uri();
        Long sizeBytes = a.sizeBytes();
        String blob = null;
        if (a.blob() != null) {
            BlobInfo info = blobs.find(projectId, a.blob()).orElseThrow(() -> ProblemException.invalid("blob",
                    "no blob " + a.blob() + " in this project; upload it first with PUT /blobs/{sha256}"));
            blob = info.sha256();
            if (sha256 != null && !sha256.equals(blob)) {
                throw ProblemException.invalid("sha256", "differs from the named blob");
            }
            if (sizeBytes != null && sizeBytes != info.sizeBytes()) {
                throw ProblemException.invalid("sizeBytes", "differs from the named blob (" + info.sizeBytes() + ")");
            }
            sha256 = blob;
            sizeBytes = info.sizeBytes();
            uri = uri == null || uri.isBlank() ? "blob:" + blob : uri;
        } else if (uri == null || uri.isBlank()) {
            throw ProblemException.invalid("uri", "must not be blank (unless the artifact names a blob)");
        }
        UUID id = a.id() != null ? a.id() : UUID.randomUUID();
        Instant now = clock.instant();
        if (artifacts.insertIfAbsent(id, runId, a.name(), uri, kind, a.description(), sizeBytes, sha256,
                now, blob == null ? null : projectId, blob) == 1) {
            return new Added(new ArtifactRecord(id, a.name(), uri, kind, a.description(), sizeBytes, sha256,
                    now, blob), true);
        }
        Artifact existing = artifacts.findById(id).orElseThrow(() -> conflict(id));
        ArtifactRecord r = existing.toRecord();
        boolean same = existing.runId().equals(runId) && r.name().equals(a.name()) && r.uri().equals(uri)
                && r.kind().equals(kind) && Objects.equals(r.description(), a.description())
                && Objects.equals(r.sizeBytes(), sizeBytes) && Objects.equals(r.sha256(), sha256)
                && Objects.equals(r.blob(), blob);
        if (!same) {
            throw conflict(id);
        }
        return new Added(r, false);
    }

    private static ProblemException conflict(UUID id) {
        return new ProblemException(HttpStatus.CONFLICT, "Artifact id " + id
                + " is already used by a different artifact reference; choose a new id");
    }

    /** The artifact of the run, if it exists. */
    @Transactional(readOnly = true)
    public java.util.Optional<ArtifactRecord> find(long projectId, UUID runId, UUID artifactId) {
        runs.requireExists(projectId, runId);
        return artifacts.findById(artifactId).filter(a -> a.runId().equals(runId)).map(Artifact::toRecord);
    }

    @Transactional(readOnly = true)
    public List<ArtifactRecord> list(long projectId, UUID runId) {
        runs.requireExists(projectId, runId);
        return artifacts.findByRunIdOrderByCreatedAtAscIdAsc(runId).stream().map(Artifact::toRecord).toList();
    }
}
