package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writer locks of a spool directory. Before its first file a writer takes an exclusive OS lock on
 * {@code .sw-<writer id>.lock} and writes its identity (server URL and project) into it; it holds
 * the lock while its process lives. Files of a writer whose lock nobody holds were left by a
 * process that ended; one client of the same identity at a time adopts that writer by taking its
 * lock, and releases it (removing the lock file) once the writer's files are gone. Not API.
 * Thread-safe.
 */
final class SpoolLocks {

    /**
     * Lock files locked by this JVM. Another instance here must not even open them: closing any
     * descriptor of a file drops the whole process's locks on it on some platforms (POSIX).
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final String writerId;
    private final String identity;
    private final boolean adopts;
    private final Object guard = new Object();
    private FileChannel ownChannel;
    private FileLock ownLock;
    /** Writers whose leftovers this instance adopted, by writer id, with the lock it holds for them. */
    private final Map<String, FileChannel> adopted = new HashMap<>();

    SpoolLocks(Path dir, String writerId, String identity, boolean adopts) {
        this.dir = dir;
        this.writerId = writerId;
        this.identity = identity;
        this.adopts = adopts;
    }

    private static Path lockFile(Path dir, String writer) {
        return dir.resolve(".sw-" + writer + ".lock");
    }

    /** Takes this writer's lock before its first file, so nobody adopts files of a live writer. */
    void lockOwn() throws IOException {
        synchronized (guard) {
            if (ownLock != null) {
                return;
            }
            Path file = lockFile(dir, writerId).toAbsolutePath();
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                ownLock = ch.lock();
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(identity.getBytes(StandardCharsets.UTF_8)), 0);
                ownChannel = ch;
                HELD.add(file);
            } catch (IOException | RuntimeException e) {
                ownLock = null;
                ch.close();
                throw e;
            }
        }
    }

    /**
     * Given the other writers that have files, releases adopted writers that have none left (and
     * removes their lock files) and adopts every writer of the same identity whose lock is free.
     *
     * @return the writers this instance holds now
     */
    private Set<String> adopt(Collection<String> writersWithFiles) throws IOException {
        synchronized (guard) {
            for (var it = adopted.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!writersWithFiles.contains(e.getKey())) {
                    Files.deleteIfExists(lockFile(dir, e.getKey()));
                    e.getValue().close();
                    HELD.remove(lockFile(dir, e.getKey()).toAbsolutePath());
                    it.remove();
                }
            }
            Set<String> held = new HashSet<>();
            for (String writer : writersWithFiles) {
                if (!writer.equals(writerId) && (adopted.containsKey(writer) || tryAdopt(writer))) {
                    held.add(writer);
                }
            }
            return held;
        }
    }

    private boolean tryAdopt(String writer) {
        Path file = lockFile(dir, writer).toAbsolutePath();
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

    /**
     * Takes over the files of writers that no longer hold their lock (their process ended) and
     * lists every adopted file in replay order. A writer whose adopted files are all gone is
     * released and its lock file removed. Another live client never gets the same writer.
     *
     * @return the adopted files still to replay
     */
    List<Path> adoptOrphans() throws IOException {
        Map<String, List<Path>> byWriter = new LinkedHashMap<>();
        for (Path p : SpoolDirectory.listDir(dir, null)) {
            String writer = writerOf(p);
            if (writer != null && !writer.equals(writerId)) {
                byWriter.computeIfAbsent(writer, w -> new ArrayList<>()).add(p);
            }
        }
        List<Path> result = new ArrayList<>();
        for (String writer : adopt(byWriter.keySet())) {
            result.addAll(byWriter.get(writer));
        }
        result.sort(SpoolDirectory.REPLAY_ORDER);
        return result;
    }

    /** The writer id in a spool file's name ({@code sw-<millis>-<seq>-<writer>-<kind>.json}), or null. */
    static String writerOf(Path file) {
        String[] parts = file.getFileName().toString().split("-");
        return parts.length == 5 ? parts[3] : null;
    }

    private static Set<String> writersWithFiles(Path dir) throws IOException {
        Set<String> writers = new HashSet<>();
        for (Path p : SpoolDirectory.listDir(dir, null)) {
            writers.add(writerOf(p));
        }
        return writers;
    }

    /**
     * Removes the lock files of ended writers without files (what a crashed client leaves once its
     * files were synced). Lock files of live writers stay.
     */
    static int removeStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Set<String> writersWithFiles = writersWithFiles(dir);
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

    /** Releases every lock; lock files of writers (own or adopted) without files left are removed. */
    void close() {
        Set<String> writersWithFiles;
        try {
            writersWithFiles = writersWithFiles(dir);
        } catch (IOException e) {
            release();
            return;
        }
        synchronized (guard) {
            try {
                if (ownLock != null && !writersWithFiles.contains(writerId)) {
                    Files.deleteIfExists(lockFile(dir, writerId));
                }
                for (String writer : adopted.keySet()) {
                    if (!writersWithFiles.contains(writer)) {
                        Files.deleteIfExists(lockFile(dir, writer));
                    }
                }
            } catch (IOException ignored) {
                // lock files are tiny; a later adopter cleans them up
            }
            release();
        }
    }

    /** Drops every lock without removing any lock file, as the end of the process would. */
    void release() {
        synchronized (guard) {
            adopted.values().forEach(SpoolLocks::closeQuietly);
            adopted.keySet().forEach(w -> HELD.remove(lockFile(dir, w).toAbsolutePath()));
            adopted.clear();
            if (ownChannel != null) {
                closeQuietly(ownChannel);
                HELD.remove(lockFile(dir, writerId).toAbsolutePath());
            }
            ownLock = null;
            ownChannel = null;
        }
    }

    private static String readAll(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 16));
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // keep reading
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
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
}
