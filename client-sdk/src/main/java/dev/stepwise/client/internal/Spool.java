package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.stepwise.client.RunSpec;
import dev.stepwise.client.TrainLog;

/**
 * The spool: batches and run events that could not (or must not) be sent yet, kept on disk until
 * they are replayed with the same batch ids. This class is the facade its users see — the
 * {@code write*} methods, listing in replay order (every run creation first, then oldest first),
 * reading, deleting and rejecting entries, and adopting the leftovers of ended processes. The
 * work is split three ways: {@link SpoolCodec} is the file format (TrainLog JSON plus the exact
 * replay data), {@link SpoolDirectory} the files (atomic writes, a rich item's blob in a file
 * beside its entry, byte and count caps, eviction of this writer's oldest metrics and media
 * entries, counted in {@link #evicted()}), and {@link SpoolLocks} the writer locks that tell a
 * live writer from one whose process ended, adoption and stale-lock cleanup. Not API: may change without
 * notice. Thread-safe.
 */
public final class Spool {

    /** Format version written in {@code stepwise.format}. */
    public static final int FORMAT = 1;
    /** Kind of a run-creation entry. */
    public static final String KIND_RUN = "run";
    /** Kind of a metrics batch entry. */
    public static final String KIND_METRICS = "metrics";
    /** Kind of a status change entry. */
    public static final String KIND_STATUS = "status";
    /** Kind of an artifact entry. */
    public static final String KIND_ARTIFACT = "artifact";
    /** Entry kind: config entries merged into a run after it started ({@code PATCH} with {@code config}). */
    public static final String KIND_CONFIG = "config";
    /** Default cap on the number of entries in the directory (file systems slow down with many more). */
    public static final long DEFAULT_MAX_FILES = 100_000;
    /** Entry kind: one rich item, its blob (if any) in a {@code .blob} file beside the entry. */
    public static final String KIND_MEDIA = "media";
    /** Every entry kind a replayer knows how to send. */
    public static final java.util.Set<String> KNOWN_KINDS =
            java.util.Set.of(KIND_RUN, KIND_METRICS, KIND_STATUS, KIND_ARTIFACT, KIND_CONFIG, KIND_MEDIA);
    /** Sub-directory for entries the server refused. */
    public static final String REJECTED_DIR = "rejected";

    private final Path dir;
    private final String writerId;
    private final SpoolDirectory files;
    private final SpoolLocks locks;

    /**
     * Opens a spool directory; nothing is created until the first write.
     *
     * @param dir the directory
     * @param maxBytes the byte cap; a write that would pass it is refused
     * @param clock the clock used in file names
     */
    public Spool(Path dir, long maxBytes, Clock clock) {
        this(dir, maxBytes, clock, null, null);
    }

    /**
     * Opens a spool directory for a client of one server and project; only clients of the same
     * server and project adopt what it leaves behind.
     *
     * @param dir the directory
     * @param maxBytes the byte cap; a write that would pass it is refused
     * @param clock the clock used in file names
     * @param project the client's project, or {@code null}
     * @param serverUrl the client's server, or {@code null} (then nobody adopts its files)
     */
    public Spool(Path dir, long maxBytes, Clock clock, String project, String serverUrl) {
        this(dir, maxBytes, DEFAULT_MAX_FILES, clock, project, serverUrl, points -> { });
    }

    /**
     * Opens a spool directory with both caps and a listener for evictions.
     *
     * @param dir the directory
     * @param maxBytes the byte cap
     * @param maxFiles the cap on the number of entries
     * @param clock the clock used in file names
     * @param project the client's project, or {@code null}
     * @param serverUrl the client's server, or {@code null} (then nobody adopts its files)
     * @param onEvicted told how many points each evicted metrics entry held
     */
    public Spool(Path dir, long maxBytes, long maxFiles, Clock clock, String project, String serverUrl,
            java.util.function.LongConsumer onEvicted) {
        this(dir, maxBytes, maxFiles, clock, project, serverUrl, onEvicted, () -> { });
    }

    /**
     * Opens a spool directory with both caps and listeners for evicted points and rich items.
     *
     * @param dir the directory
     * @param maxBytes the byte cap (entries and blob files together)
     * @param maxFiles the cap on the number of entries
     * @param clock the clock used in file names
     * @param project the client's project, or {@code null}
     * @param serverUrl the client's server, or {@code null} (then nobody adopts its files)
     * @param onEvicted told how many points each evicted metrics entry held
     * @param onMediaEvicted told of each evicted rich item
     */
    public Spool(Path dir, long maxBytes, long maxFiles, Clock clock, String project, String serverUrl,
            java.util.function.LongConsumer onEvicted, Runnable onMediaEvicted) {
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("project", project);
        owner.put("url", serverUrl);
        String identity = new String(Json.toBytes(owner), java.nio.charset.StandardCharsets.UTF_8);
        this.dir = dir;
        this.writerId = Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 60)).substring(0, 8);
        this.locks = new SpoolLocks(dir, writerId, identity, serverUrl != null);
        this.files = new SpoolDirectory(dir, maxBytes, maxFiles, clock, writerId, onEvicted, onMediaEvicted);
    }

    /** @return the directory */
    public Path dir() {
        return dir;
    }

    /** @return the id in the names of the files this instance writes */
    public String writerId() {
        return writerId;
    }

    /**
     * One entry read back from the spool.
     *
     * @param file the file
     * @param kind one of the {@code KIND_*} constants
     * @param project project slug
     * @param runId run id
     * @param batchId batch id of a metrics entry, else {@code null}
     * @param points points of a metrics entry (with no run state), else empty
     * @param payload request body of a run, status or artifact entry, else empty
     */
    public record Entry(Path file, String kind, String project, UUID runId, String batchId, List<Point> points,
                        Map<String, Object> payload) {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Spools one metrics batch.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name for the TrainLog title, or {@code null}
     * @param batchId the batch id that replay must reuse
     * @param points the points, all of this run
     * @return the file, or {@code null} when the byte cap refused it
     * @throws IOException when writing fails
     */
    public Path writeMetrics(String project, UUID runId, String runName, String batchId, List<Point> points)
            throws IOException {
        return write(KIND_METRICS, SpoolCodec.metrics(project, runId, runName, batchId, points));
    }

    /**
     * Spools the creation (or resumption) of a run.
     *
     * @param project project slug
     * @param runId run id
     * @param spec the run's spec
     * @return the file, or {@code null} when the byte cap refused it
     * @throws IOException when writing fails
     */
    public Path writeRun(String project, UUID runId, RunSpec spec) throws IOException {
        return write(KIND_RUN, SpoolCodec.run(project, runId, spec));
    }

    /**
     * Spools a status change.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name, or {@code null}
     * @param status the new status
     * @return the file, or {@code null} when the byte cap refused it
     * @throws IOException when writing fails
     */
    public Path writeStatus(String project, UUID runId, String runName, String status) throws IOException {
        return write(KIND_STATUS, SpoolCodec.status(project, runId, runName, status));
    }

    /**
     * Spools config entries to merge into a run.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name, or {@code null}
     * @param config key to JSON-compatible value
     * @return the file, or {@code null} when the byte cap refused it
     * @throws IOException when writing fails
     */
    public Path writeConfig(String project, UUID runId, String runName, Map<String, Object> config)
            throws IOException {
        return write(KIND_CONFIG, SpoolCodec.config(project, runId, runName, config));
    }

    /**
     * Spools an artifact reference.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name, or {@code null}
     * @param artifact the artifact request body ({@code name}, {@code uri}, ...)
     * @return the file, or {@code null} when the byte cap refused it
     * @throws IOException when writing fails
     */
    public Path writeArtifact(String project, UUID runId, String runName, Map<String, Object> artifact)
            throws IOException {
        return write(KIND_ARTIFACT, SpoolCodec.artifact(project, runId, runName, artifact));
    }



    /**
     * Spools one rich item with its bytes: the blob goes to a {@code .blob} file beside the entry,
     * both written atomically and counted together against the caps.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name, or {@code null}
     * @param batchId the batch id that replay must reuse
     * @param item the encoded item
     * @return the entry file, or {@code null} when the caps refused it
     * @throws IOException when writing fails
     */
    public Path writeMedia(String project, UUID runId, String runName, String batchId, MediaItem item)
            throws IOException {
        java.nio.file.Files.createDirectories(dir);
        locks.lockOwn();
        return files.write(KIND_MEDIA, SpoolCodec.media(project, runId, runName, batchId, item), item.blob());
    }

    private Path write(String kind, SpoolCodec.Body body) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        locks.lockOwn();
        return files.write(kind, body, null);
    }

    /** @return metrics entries this instance evicted from its own oldest to stay within the caps */
    public long evicted() {
        return files.evicted();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Lists spooled entries in replay order: run creations first, then oldest first.
     *
     * @param ownOnly only the files this instance wrote
     * @return the files
     * @throws IOException when the directory cannot be listed
     */
    public List<Path> list(boolean ownOnly) throws IOException {
        return files.list(ownOnly ? writerId : null);
    }

    /**
     * Lists the spooled entries of a directory in replay order.
     *
     * @param dir the spool directory
     * @param writerId only files of this writer, or {@code null} for all
     * @return the files
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> listDir(Path dir, String writerId) throws IOException {
        return SpoolDirectory.listDir(dir, writerId);
    }

    /**
     * Deletes an entry after the server took it.
     *
     * @param file the file
     * @throws IOException when deletion fails
     */
    public void delete(Path file) throws IOException {
        files.delete(file);
    }

    /**
     * Moves an entry the server refused into the {@value #REJECTED_DIR} sub-directory, out of the
     * replay queue but kept for inspection.
     *
     * @param file the file
     * @return the new location
     * @throws IOException when the move fails
     */
    public Path reject(Path file) throws IOException {
        return files.reject(file);
    }

    /**
     * Reads one spooled entry.
     *
     * @param file the file
     * @return the entry
     * @throws IOException when the file is unreadable or not a Stepwise spool entry
     */
    public static Entry read(Path file) throws IOException {
        return SpoolCodec.read(file);
    }

    // ---------------------------------------------------------------- ownership

    /**
     * Takes over the files of writers that no longer hold their lock (their process ended) and
     * lists every adopted file in replay order (see {@link SpoolLocks#adoptOrphans}).
     *
     * @return the adopted files still to replay
     * @throws IOException when the directory cannot be listed
     */
    public List<Path> adoptOrphans() throws IOException {
        return locks.adoptOrphans();
    }

    /**
     * Removes the lock files of ended writers that have no spooled files left (what a crashed
     * client leaves once its files were synced). Lock files of live writers stay.
     *
     * @param dir the spool directory
     * @return how many lock files were removed
     * @throws IOException when the directory cannot be listed
     */
    public static int removeStaleLocks(Path dir) throws IOException {
        return SpoolLocks.removeStale(dir);
    }

    /**
     * Releases this writer's lock and every adopted one; lock files of writers without files left
     * are removed, a writer with files left keeps its lock file for whoever replays next.
     */
    public void close() {
        locks.close();
    }

    /** Drops every lock without removing any lock file, as the end of the process would. */
    public void releaseLocks() {
        locks.release();
    }
}
