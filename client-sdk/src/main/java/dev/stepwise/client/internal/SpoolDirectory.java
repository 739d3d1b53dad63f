package dev.stepwise.client.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import tools.jackson.core.JsonGenerator;

/**
 * The files of a spool directory. Entries are named {@code sw-<epoch millis>-<sequence>-<writer
 * id>-<kind>.json}, so name order is write order; each is written to a hidden temp file, fsynced,
 * atomically renamed and the directory fsynced. The directory is capped by bytes and by number of
 * entries: when a new entry would pass a cap, this writer's oldest metrics entries are evicted
 * (their points counted through the eviction listener and in {@link #evicted()}), and its oldest
 * rich items with their blob files; if that cannot make room, the new entry is refused. A rich
 * item's blob lives in a {@code .blob} file beside its entry, written first and counted with it. Run events are never evicted — they are small and what
 * replay of everything else needs. Thread-safe.
 */
final class SpoolDirectory {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Every run creation first, then oldest first (names start with the write time and a sequence). */
    static final Comparator<Path> REPLAY_ORDER = Comparator
            .comparing((Path p) -> p.getFileName().toString().endsWith("-" + Spool.KIND_RUN + ".json") ? 0 : 1)
            .thenComparing(p -> p.getFileName().toString());

    private final Path dir;
    private final long maxBytes;
    private final long maxFiles;
    private final Clock clock;
    private final String writerId;
    private final LongConsumer onEvicted;
    private final Runnable onMediaEvicted;
    private final Object capGuard = new Object();
    /** Bytes and entries in the directory, scanned on first use, then kept up to date; -1: not yet. */
    private long bytes = -1;
    private long files = -1;
    private final AtomicLong evicted = new AtomicLong();

    SpoolDirectory(Path dir, long maxBytes, long maxFiles, Clock clock, String writerId, LongConsumer onEvicted,
            Runnable onMediaEvicted) {
        this.onMediaEvicted = onMediaEvicted;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.clock = clock;
        this.writerId = writerId;
        this.onEvicted = onEvicted;
    }

    /** @return metrics entries evicted to make room, so far */
    long evicted() {
        return evicted.get();
    }

    /** The blob file beside an entry: {@code sw-...-media.blob} for {@code sw-...-media.json}. */
    static Path blobFile(Path entry) {
        String name = entry.getFileName().toString();
        return entry.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".blob");
    }

    /** Writes bytes to a temp file and fsyncs it. */
    private static void writeSynced(Path tmp, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Writes an entry atomically, with a blob file beside it when {@code blob} is not null (the
     * blob is in place before the entry that names it); null when the caps leave no room even
     * after evicting.
     */
    Path write(String kind, SpoolCodec.Body body, byte[] blob) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("sw-%013d-%09d-%s-%s.json", clock.millis(), SEQUENCE.incrementAndGet(),
                writerId, kind);
        Path tmp = dir.resolve("." + name + ".tmp");
        Path target = dir.resolve(name);
        Path blobTmp = dir.resolve("." + name + ".blob.tmp");
        if (blob != null) {
            try {
                writeSynced(blobTmp, blob);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(blobTmp);
                throw e;
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // The generator closes its stream; keep the channel open for the fsync below.
            OutputStream out = new BufferedOutputStream(new FilterOutputStream(Channels.newOutputStream(ch)) {
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
            if (!reserve(ch.size() + (blob == null ? 0 : blob.length))) {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(blobTmp);
                return null;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(blobTmp);
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
        if (blob != null) {
            move(blobTmp, blobFile(target));
        }
        move(tmp, target);
        syncDirectory();
        return target;
    }

    /** Counts an entry of {@code size} bytes in, evicting this writer's oldest metrics entries if needed. */
    private boolean reserve(long size) throws IOException {
        synchronized (capGuard) {
            scanIfNeeded();
            if (bytes + size > maxBytes || files + 1 > maxFiles) {
                for (Path oldest : list(writerId)) {
                    if (bytes + size <= maxBytes && files + 1 <= maxFiles) {
                        break;
                    }
                    String n = oldest.getFileName().toString();
                    if (n.endsWith("-" + Spool.KIND_METRICS + ".json") || n.endsWith("-" + Spool.KIND_MEDIA + ".json")) {
                        evict(oldest);
                    }
                }
                if (bytes + size > maxBytes || files + 1 > maxFiles) {
                    return false;
                }
            }
            bytes += size;
            files++;
            return true;
        }
    }

    private void evict(Path file) {
        boolean media = file.getFileName().toString().endsWith("-" + Spool.KIND_MEDIA + ".json");
        long points;
        try {
            points = media ? 0 : SpoolCodec.read(file).points().size();
        } catch (IOException | RuntimeException unreadable) {
            points = 0;
        }
        long size = sizeOrZero(file);
        try {
            if (Files.deleteIfExists(file)) {
                size += deleteBlob(file);
                bytes -= size;
                files--;
                evicted.incrementAndGet();
                if (media) {
                    onMediaEvicted.run();
                } else {
                    onEvicted.accept(points);
                }
            }
        } catch (IOException ignored) {
            // not evicted; the cap check after the loop decides
        }
    }

    private void scanIfNeeded() throws IOException {
        if (bytes >= 0) {
            return;
        }
        long total = 0;
        long count = 0;
        for (Path p : list(null)) {
            try {
                total += Files.size(p) + sizeOrZero(blobFile(p));
                count++;
            } catch (NoSuchFileException ignored) {
                // replayed meanwhile
            }
        }
        bytes = total;
        files = count;
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not supported on every platform, where it is skipped.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** Entries of one writer ({@code null}: all) in replay order. */
    List<Path> list(String writer) throws IOException {
        return listDir(dir, writer);
    }

    static List<Path> listDir(Path dir, String writerId) throws IOException {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "sw-*.json")) {
            for (Path p : ds) {
                if (writerId == null || p.getFileName().toString().contains("-" + writerId + "-")) {
                    result.add(p);
                }
            }
        }
        result.sort(REPLAY_ORDER);
        return result;
    }

    /** Removes an entry the server took. */
    void delete(Path file) throws IOException {
        long size = sizeOrZero(file);
        if (Files.deleteIfExists(file)) {
            forget(size + deleteBlob(file));
        }
    }

    /** Deletes the blob file beside an entry, if any; returns its size. */
    private static long deleteBlob(Path entry) throws IOException {
        Path blob = blobFile(entry);
        long size = sizeOrZero(blob);
        return Files.deleteIfExists(blob) ? size : 0;
    }

    /** Moves an entry the server refused into {@code rejected/}, out of the replay queue. */
    Path reject(Path file) throws IOException {
        long size = sizeOrZero(file);
        Path rejected = file.getParent().resolve(Spool.REJECTED_DIR);
        Files.createDirectories(rejected);
        Path target = rejected.resolve(file.getFileName());
        Path blob = blobFile(file);
        if (Files.exists(blob)) {
            size += sizeOrZero(blob);
            Files.move(blob, blobFile(target), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        forget(size);
        return target;
    }

    private void forget(long size) {
        synchronized (capGuard) {
            if (bytes >= 0) {
                bytes -= size;
                files--;
            }
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
