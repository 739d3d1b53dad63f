package dev.stepwise.client.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.stepwise.client.RunSpec;
import dev.stepwise.client.TrainLog;
import tools.jackson.core.JsonGenerator;

/**
 * The spool directory: batches and run events that could not (or must not) be sent yet.
 *
 * <p>Each file is a TrainLog JSON document, so any TrainLog reader can open it, plus a top-level
 * {@code "stepwise"} object that carries what exact replay needs: the kind of entry, project,
 * run id, the batch id and every point with its key, step, value, epoch and time in columns.
 * A logged NaN is a real point there, unlike the {@code "NaN"} placeholders of the TrainLog view.
 *
 * <p>Files are named {@code sw-<epoch millis>-<sequence>-<writer id>-<kind>.json}, so name order is
 * write order; they are written to a hidden temp file, fsynced and atomically renamed. Replay
 * order is every run creation first, then everything else oldest first.
 *
 * <p>Before its first file a writer takes an exclusive lock on {@code .sw-<writer id>.lock} in the
 * directory and keeps it while its process lives. Files whose writer holds no lock any more were
 * left behind by a process that ended (a crash, a kill, a deadline that ran out):
 * {@link #adoptOrphans()} lets another client of the same server and project (written into the
 * lock file) take them over, one adopter per writer, so several trainers sharing the default
 * spool directory replay each other's leftovers in the background. Not API: may change without
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
    /** Sub-directory for entries the server refused. */
    public static final String REJECTED_DIR = "rejected";

    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Every run creation first, then oldest first (names start with the write time and a sequence). */
    private static final Comparator<Path> REPLAY_ORDER = Comparator
            .comparing((Path p) -> p.getFileName().toString().endsWith("-" + KIND_RUN + ".json") ? 0 : 1)
            .thenComparing(p -> p.getFileName().toString());
    /**
     * Lock files locked by this JVM. Another instance here must not even open them: closing any
     * descriptor of a file drops the whole process's locks on it on some platforms (POSIX).
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final long maxBytes;
    private final Clock clock;
    private final String writerId;
    private final String identity;
    private final boolean adopts;
    private final AtomicLong bytes = new AtomicLong(-1);
    private final Object lockGuard = new Object();
    private FileChannel ownLockChannel;
    private FileLock ownLock;
    /** Writers whose leftovers this instance adopted, by writer id, with the lock it holds for them. */
    private final Map<String, FileChannel> adopted = new HashMap<>();

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
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("project", project);
        owner.put("url", serverUrl);
        this.identity = new String(Json.toBytes(owner), java.nio.charset.StandardCharsets.UTF_8);
        this.adopts = serverUrl != null;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.writerId = Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 60)).substring(0, 8);
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
        TrainLog view = trainLogView(project, runId, runName, batchId, points);
        return write(KIND_METRICS, g -> {
            view.writeFields(g);
            g.writeName("stepwise");
            g.writeStartObject();
            header(g, KIND_METRICS, project, runId);
            g.writeName("batchId");
            g.writeString(batchId);
            writeColumns(g, points);
            g.writeEndObject();
        });
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
        Map<String, Object> body = createBody(runId, spec);
        TrainLog.Builder view = eventView(project, runId, spec.name());
        if (spec.group() != null) {
            view.note("group=" + spec.group());
        }
        if (!spec.tags().isEmpty()) {
            view.note("tags=" + String.join(",", spec.tags()));
        }
        spec.config().forEach((k, v) -> view.note("config." + k + "="
                + (v instanceof String ? v : new String(Json.toBytes(v), java.nio.charset.StandardCharsets.UTF_8))));
        return writeEvent(KIND_RUN, project, runId, view.build(), body);
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
        TrainLog.Builder view = eventView(project, runId, runName).note("status=" + status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        return writeEvent(KIND_STATUS, project, runId, view.build(), body);
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
        TrainLog.Builder view = eventView(project, runId, runName);
        config.forEach((k, v) -> view.note("config." + k + "=" + v));
        return writeEvent(KIND_CONFIG, project, runId, view.build(), Map.of("config", config));
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
        TrainLog.Builder view = eventView(project, runId, runName);
        StringBuilder note = new StringBuilder("artifact.").append(artifact.get("name")).append('=')
                .append(artifact.get("uri"));
        if (artifact.get("kind") != null) {
            note.append(" kind=").append(artifact.get("kind"));
        }
        if (artifact.get("description") != null) {
            note.append(" desc=").append(artifact.get("description"));
        }
        view.note(note.toString());
        return writeEvent(KIND_ARTIFACT, project, runId, view.build(), artifact);
    }

    /**
     * Builds the body of a create-run request.
     *
     * @param runId the run id
     * @param spec the spec
     * @return {@code {id, name?, group?, tags, config, notes?}}
     */
    public static Map<String, Object> createBody(UUID runId, RunSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", runId.toString());
        if (spec.name() != null) {
            body.put("name", spec.name());
        }
        if (spec.group() != null) {
            body.put("group", spec.group());
        }
        body.put("tags", spec.tags());
        body.put("config", spec.config());
        if (spec.notes() != null) {
            body.put("notes", spec.notes());
        }
        return body;
    }

    private Path writeEvent(String kind, String project, UUID runId, TrainLog view, Map<String, Object> payload)
            throws IOException {
        return write(kind, g -> {
            view.writeFields(g);
            g.writeName("stepwise");
            g.writeStartObject();
            header(g, kind, project, runId);
            g.writeName("payload");
            Json.write(g, payload);
            g.writeEndObject();
        });
    }

    private static TrainLog.Builder eventView(String project, UUID runId, String runName) {
        TrainLog.Builder view = TrainLog.builder().title(runName != null ? runName : runId.toString());
        metaNotes(view, project, runId, runName);
        return view;
    }

    private static void metaNotes(TrainLog.Builder view, String project, UUID runId, String runName) {
        view.note("project=" + project);
        view.note("run_id=" + runId);
        if (runName != null) {
            view.note("run_name=" + runName);
        }
    }

    private static void header(JsonGenerator g, String kind, String project, UUID runId) {
        g.writeName("format");
        g.writeNumber(FORMAT);
        g.writeName("kind");
        g.writeString(kind);
        g.writeName("project");
        g.writeString(project);
        g.writeName("runId");
        g.writeString(runId.toString());
    }

    private static void writeColumns(JsonGenerator g, List<Point> points) {
        Map<String, Integer> keyIndex = new LinkedHashMap<>();
        for (Point p : points) {
            keyIndex.putIfAbsent(p.key, keyIndex.size());
        }
        g.writeName("keys");
        g.writeStartArray();
        for (String k : keyIndex.keySet()) {
            g.writeString(k);
        }
        g.writeEndArray();
        g.writeName("points");
        g.writeStartObject();
        g.writeName("key");
        g.writeStartArray();
        for (Point p : points) {
            g.writeNumber(keyIndex.get(p.key));
        }
        g.writeEndArray();
        g.writeName("step");
        g.writeStartArray();
        for (Point p : points) {
            g.writeNumber(p.step);
        }
        g.writeEndArray();
        g.writeName("value");
        g.writeStartArray();
        for (Point p : points) {
            Json.writeDouble(g, p.value);
        }
        g.writeEndArray();
        g.writeName("epoch");
        g.writeStartArray();
        for (Point p : points) {
            if (p.epoch >= 0) {
                g.writeNumber(p.epoch);
            } else {
                g.writeNull();
            }
        }
        g.writeEndArray();
        g.writeName("time");
        g.writeStartArray();
        for (Point p : points) {
            g.writeNumber(p.timeMillis);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Builds the TrainLog view of points: one series per key over the sorted distinct steps,
     * {@code NaN} where a key has no point at a step, the last point winning on repeats.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name, or {@code null}
     * @param batchId batch id, or {@code null}
     * @param points the points
     * @return the TrainLog
     */
    public static TrainLog trainLogView(String project, UUID runId, String runName, String batchId,
                                        List<Point> points) {
        TreeMap<Long, Integer> stepIndex = new TreeMap<>();
        for (Point p : points) {
            stepIndex.put(p.step, 0);
        }
        long[] steps = new long[stepIndex.size()];
        int i = 0;
        for (Map.Entry<Long, Integer> e : stepIndex.entrySet()) {
            steps[i] = e.getKey();
            e.setValue(i++);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Point p : points) {
            double[] values = series.computeIfAbsent(p.key, k -> {
                double[] v = new double[steps.length];
                java.util.Arrays.fill(v, Double.NaN);
                return v;
            });
            values[stepIndex.get(p.step)] = p.value;
        }
        TrainLog.Builder b = TrainLog.builder().title(runName != null ? runName : runId.toString()).steps(steps);
        series.forEach((k, v) -> b.series(TrainLog.Series.create(k, v)));
        metaNotes(b, project, runId, runName);
        if (batchId != null) {
            b.note("batch_id=" + batchId);
        }
        return b.build();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g);
    }

    private Path write(String kind, Body body) throws IOException {
        if (full()) {
            return null;
        }
        Files.createDirectories(dir);
        lockOwnFiles();
        String name = String.format("sw-%013d-%09d-%s-%s.json", clock.millis(), SEQUENCE.incrementAndGet(),
                writerId, kind);
        Path tmp = dir.resolve("." + name + ".tmp");
        Path target = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // The generator closes its stream; keep the channel open for the fsync below.
            OutputStream out = new BufferedOutputStream(new FilterOutputStream(
                    java.nio.channels.Channels.newOutputStream(ch)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    this.out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, 1 << 16);
            try (JsonGenerator g = Json.generator(out)) {
                g.writeStartObject();
                body.write(g);
                g.writeEndObject();
            }
            ch.force(true);
            long size = ch.size();
            if (!reserve(size)) {
                Files.deleteIfExists(tmp);
                return null;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        syncDirectory();
        return target;
    }

    private boolean full() throws IOException {
        return spoolBytes() >= maxBytes;
    }

    private long spoolBytes() throws IOException {
        if (bytes.get() < 0) {
            synchronized (bytes) {
                if (bytes.get() < 0) {
                    bytes.set(scanBytes());
                }
            }
        }
        return bytes.get();
    }

    private boolean reserve(long size) throws IOException {
        spoolBytes();
        long after = bytes.addAndGet(size);
        if (after > maxBytes) {
            bytes.addAndGet(-size);
            return false;
        }
        return true;
    }

    private long scanBytes() throws IOException {
        long total = 0;
        for (Path p : list(false)) {
            try {
                total += Files.size(p);
            } catch (NoSuchFileException ignored) {
                // replayed meanwhile
            }
        }
        return total;
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not supported on every platform, where it is skipped.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
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
        return listDir(dir, ownOnly ? writerId : null);
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
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "sw-*.json")) {
            for (Path p : ds) {
                if (writerId == null || p.getFileName().toString().contains("-" + writerId + "-")) {
                    files.add(p);
                }
            }
        }
        files.sort(REPLAY_ORDER);
        return files;
    }

    /**
     * Reads one spooled entry.
     *
     * @param file the file
     * @return the entry
     * @throws IOException when the file is unreadable or not a Stepwise spool entry
     */
    @SuppressWarnings("unchecked")
    public static Entry read(Path file) throws IOException {
        Map<String, Object> root = Json.readObject(Files.readAllBytes(file));
        Object sw = root.get("stepwise");
        if (!(sw instanceof Map)) {
            throw new IOException(file + ": not a Stepwise spool entry (no 'stepwise' object)");
        }
        Map<String, Object> m = (Map<String, Object>) sw;
        try {
            String kind = (String) m.get("kind");
            String project = (String) m.get("project");
            UUID runId = UUID.fromString((String) m.get("runId"));
            if (KIND_METRICS.equals(kind)) {
                return new Entry(file, kind, project, runId, (String) m.get("batchId"), readColumns(m), Map.of());
            }
            Object payload = m.get("payload");
            return new Entry(file, kind, project, runId, null, List.of(),
                    payload instanceof Map ? (Map<String, Object>) payload : new HashMap<>());
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed Stepwise spool entry: " + e, e);
        }
    }

    private static List<Point> readColumns(Map<String, Object> m) {
        List<?> keys = (List<?>) m.get("keys");
        Map<?, ?> cols = (Map<?, ?>) m.get("points");
        List<?> key = (List<?>) cols.get("key");
        List<?> step = (List<?>) cols.get("step");
        List<?> value = (List<?>) cols.get("value");
        List<?> epoch = (List<?>) cols.get("epoch");
        List<?> time = (List<?>) cols.get("time");
        int n = key.size();
        if (step.size() != n || value.size() != n || epoch.size() != n || time.size() != n) {
            throw new IllegalArgumentException("point columns differ in length");
        }
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object e = epoch.get(i);
            points.add(new Point(null, (String) keys.get(((Number) key.get(i)).intValue()),
                    ((Number) step.get(i)).longValue(), Json.toDouble(value.get(i), "value[" + i + "]"),
                    e == null ? -1 : ((Number) e).longValue(), ((Number) time.get(i)).longValue()));
        }
        return points;
    }

    /**
     * Deletes an entry after the server took it.
     *
     * @param file the file
     * @throws IOException when deletion fails
     */
    public void delete(Path file) throws IOException {
        long size = sizeOrZero(file);
        if (Files.deleteIfExists(file) && bytes.get() >= 0) {
            bytes.addAndGet(-size);
        }
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
        long size = sizeOrZero(file);
        Path rejected = file.getParent().resolve(REJECTED_DIR);
        Files.createDirectories(rejected);
        Path target = rejected.resolve(file.getFileName());
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        if (bytes.get() >= 0) {
            bytes.addAndGet(-size);
        }
        return target;
    }

    // ---------------------------------------------------------------- ownership

    private Path lockFile(String writer) {
        return dir.resolve(".sw-" + writer + ".lock");
    }

    /** Takes this writer's lock before its first file, so nobody adopts files of a live writer. */
    private void lockOwnFiles() throws IOException {
        synchronized (lockGuard) {
            if (ownLock != null) {
                return;
            }
            Path file = lockFile(writerId).toAbsolutePath();
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                ownLock = ch.lock();
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.wrap(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0);
                ownLockChannel = ch;
                HELD.add(file);
            } catch (IOException | RuntimeException e) {
                ownLock = null;
                ch.close();
                throw e;
            }
        }
    }

    /**
     * Takes over the files of writers that no longer hold their lock (their process ended) and
     * lists every adopted file in replay order. A writer whose adopted files are all gone is
     * released and its lock file removed. Another live client never gets the same writer.
     *
     * @return the adopted files still to replay
     * @throws IOException when the directory cannot be listed
     */
    public List<Path> adoptOrphans() throws IOException {
        List<Path> all = listDir(dir, null);
        Map<String, List<Path>> byWriter = new LinkedHashMap<>();
        for (Path p : all) {
            String writer = writerOf(p);
            if (writer != null && !writer.equals(writerId)) {
                byWriter.computeIfAbsent(writer, w -> new ArrayList<>()).add(p);
            }
        }
        List<Path> result = new ArrayList<>();
        synchronized (lockGuard) {
            for (var it = adopted.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!byWriter.containsKey(e.getKey())) {
                    Files.deleteIfExists(lockFile(e.getKey()));
                    e.getValue().close();
                    HELD.remove(lockFile(e.getKey()).toAbsolutePath());
                    it.remove();
                }
            }
            for (Map.Entry<String, List<Path>> e : byWriter.entrySet()) {
                if (adopted.containsKey(e.getKey()) || tryAdopt(e.getKey())) {
                    result.addAll(e.getValue());
                }
            }
        }
        result.sort(REPLAY_ORDER);
        return result;
    }

    private boolean tryAdopt(String writer) {
        Path file = lockFile(writer).toAbsolutePath();
        if (!adopts || !HELD.add(file)) {
            return false;
        }
        FileChannel ch = null;
        try {
            // No lock file, no owner to check: such files are left to `stepwise-cli sync`.
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            // Read through the locked channel: opening the file again could drop the lock.
            if (lock == null || !identity.equals(readAll(ch))) {
                HELD.remove(file);
                ch.close();
                return false;
            }
            adopted.put(writer, ch);
            return true;
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            closeQuietly(ch);
            return false;
        }
    }

    private static String readAll(FileChannel ch) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 16));
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // keep reading
        }
        return new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
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
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        java.util.Set<String> writersWithFiles = writersWithFiles(dir);
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".sw-*.lock")) {
            for (Path lockFile : ds) {
                String name = lockFile.getFileName().toString();
                String writer = name.substring(".sw-".length(), name.length() - ".lock".length());
                Path absolute = lockFile.toAbsolutePath();
                if (writersWithFiles.contains(writer) || !HELD.add(absolute)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    if (ch.tryLock() != null) {
                        Files.deleteIfExists(lockFile);
                        removed++;
                    }
                } catch (IOException | RuntimeException busyOrGone) {
                    // a live writer, or removed meanwhile
                } finally {
                    HELD.remove(absolute);
                }
            }
        }
        return removed;
    }

    private static java.util.Set<String> writersWithFiles(Path dir) throws IOException {
        java.util.Set<String> writers = new java.util.HashSet<>();
        for (Path p : listDir(dir, null)) {
            writers.add(writerOf(p));
        }
        return writers;
    }

    /** The writer id in a spool file's name ({@code sw-<millis>-<seq>-<writer>-<kind>.json}), or null. */
    static String writerOf(Path file) {
        String[] parts = file.getFileName().toString().split("-");
        return parts.length == 5 ? parts[3] : null;
    }

    /**
     * Releases this writer's lock and every adopted one. Lock files of writers without files left
     * are removed; a writer with files left keeps its lock file, and whoever replays next adopts them.
     */
    public void close() {
        synchronized (lockGuard) {
            try {
                java.util.Set<String> withFiles = writersWithFiles(dir);
                if (ownLock != null && !withFiles.contains(writerId)) {
                    Files.deleteIfExists(lockFile(writerId));
                }
                for (String writer : adopted.keySet()) {
                    if (!withFiles.contains(writer)) {
                        Files.deleteIfExists(lockFile(writer));
                    }
                }
            } catch (IOException ignored) {
                // lock files are tiny; a later adopter cleans them up
            }
            releaseLocks();
        }
    }

    /** Drops every lock without removing any lock file, as the end of the process would. */
    public void releaseLocks() {
        synchronized (lockGuard) {
            adopted.values().forEach(Spool::closeQuietly);
            adopted.keySet().forEach(w -> HELD.remove(lockFile(w).toAbsolutePath()));
            adopted.clear();
            if (ownLockChannel != null) {
                closeQuietly(ownLockChannel);
                HELD.remove(lockFile(writerId).toAbsolutePath());
            }
            ownLock = null;
            ownLockChannel = null;
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
