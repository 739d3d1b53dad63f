package dev.stepwise.server.media;

import dev.stepwise.server.config.StepwiseProperties;
import dev.stepwise.server.web.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ContentDisposition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Content-addressed blobs of a project: uploads are spooled to a temporary file while their
 * SHA-256 is computed (never held in memory), checked against the name they were sent under, and
 * only then handed to the {@link BlobStore}; downloads stream from the store with Range support.
 * The caller has checked project access.
 */
@Service
public class BlobService {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");

    /** A stored blob's metadata. */
    public record BlobInfo(String sha256, String contentType, long sizeBytes) {}

    /** The outcome of an upload: {@code created} is false when the project already held the blob. */
    public record Uploaded(BlobInfo blob, boolean created) {}

    private final JdbcTemplate jdbc;
    private final BlobStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final long maxBytes;

    BlobService(JdbcTemplate jdbc, BlobStore store, TransactionTemplate tx, Clock clock, StepwiseProperties properties) {
        this.jdbc = jdbc;
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.maxBytes = properties.media().maxBlobBytes().toBytes();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The blob's name in canonical form (lower-case hex), or a 400 problem. */
    public static String checkSha256(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw ProblemException.invalid("sha256", "must be 64 hexadecimal characters");
        }
        return sha256.toLowerCase(Locale.ROOT);
    }

    /**
     * Stores {@code body} as blob {@code sha256} of the project. 400 when the bytes hash to something
     * else, 413 over the size limit, 415 for a content type no media type allows (unless
     * {@code anyType}, for artifact files, which are only ever served as attachments).
     */
    public Uploaded upload(long projectId, String sha256, String contentType, long declaredLength, InputStream body,
            boolean anyType) {
        String sha = checkSha256(sha256);
        String type = anyType ? artifactType(contentType) : ItemType.allowedBlobType(contentType).orElseThrow(() ->
                new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType
                        + "' is not allowed for media blobs; allowed: image/png, image/jpeg, image/webp, image/gif, "
                        + "audio/wav, audio/mpeg, audio/ogg, audio/flac, video/mp4, video/webm"));
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        Path file = null;
        try {
            file = Files.createTempFile("stepwise-blob-", ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                size = copyLimited(body, out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha)) {
                throw ProblemException.badRequest("The body's SHA-256 is " + actual + ", not " + sha
                        + "; nothing was stored").withProperty("actualSha256", actual);
            }
            Path verified = file;
            long verifiedSize = size;
            return tx.execute(status -> store(projectId, sha, type, verified, verifiedSize));
        } catch (IOException e) {
            if (e instanceof dev.stepwise.server.web.PayloadTooLargeException) {
                throw tooLarge();
            }
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    private Uploaded store(long projectId, String sha, String type, Path file, long size) {
        Timestamp now = Timestamp.from(clock.instant());
        // Inserting (or touching) the row locks it: a concurrent upload of the same blob waits here
        // and then finds it stored, and the collector cannot remove it meanwhile.
        Boolean inserted = jdbc.queryForObject("insert into blobs (project_id, sha256, content_type, size_bytes, "
                + "created_at, last_uploaded_at) values (?, ?, ?, ?, ?, ?) on conflict (project_id, sha256) do update "
                + "set last_uploaded_at = excluded.last_uploaded_at returning (xmax = 0)", Boolean.class,
                projectId, sha, type, size, now, now);
        if (Boolean.TRUE.equals(inserted)) {
            try {
                store.put(projectId, sha, file, size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Uploaded(new BlobInfo(sha, type, size), true);
        }
        return new Uploaded(find(projectId, sha).orElseThrow(), false);
    }

    private long copyLimited(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge();
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private ProblemException tooLarge() {
        return ProblemException.tooLarge("A blob may have at most " + maxBytes + " bytes (STEPWISE_MAX_BLOB_BYTES)");
    }

    private static String artifactType(String contentType) {
        String type = ItemType.canonical(contentType);
        if (type.isEmpty()) {
            return "application/octet-stream";
        }
        try {
            org.springframework.http.MediaType.parseMediaType(type);
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType
                    + "' is not a valid media type");
        }
        return type;
    }

    /** The project's blob, if it holds one with this name; a blob of another project is absent. */
    public Optional<BlobInfo> find(long projectId, String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        List<BlobInfo> rows = jdbc.query("select sha256, content_type, size_bytes from blobs where project_id = ? "
                + "and sha256 = ?", (rs, i) -> new BlobInfo(rs.getString(1), rs.getString(2), rs.getLong(3)),
                projectId, sha256.toLowerCase(Locale.ROOT));
        return rows.stream().findFirst();
    }

    /**
     * Answers a GET of the blob on {@code response}: its bytes with their stored type (an attachment
     * when {@code attachmentName} is given or no media type allows the type), never sniffed or rendered
     * as a document, cacheable for good (the content never changes), ETag = SHA-256, one Range → 206.
     * The bytes are written on the request thread, straight from the store to the client.
     */
    public void download(long projectId, String sha256, HttpHeaders request, String attachmentName,
            HttpServletResponse response) throws IOException {
        BlobInfo blob = find(projectId, sha256)
                .orElseThrow(() -> ProblemException.notFound("Blob " + sha256 + " not found"));
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox");
        // Authenticated content: browsers may keep it, shared caches may not.
        headers.setCacheControl("private, max-age=31536000, immutable");
        headers.setETag("\"" + blob.sha256() + "\"");
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (attachmentName != null || ItemType.allowedBlobType(blob.contentType()).isEmpty()) {
            headers.setContentDisposition(ContentDisposition.attachment()
                    .filename(attachmentName != null ? attachmentName : blob.sha256(), StandardCharsets.UTF_8)
                    .build());
        }
        List<String> ifNoneMatch = request.getIfNoneMatch();
        long size = blob.sizeBytes();
        long[] range = ByteRange.parse(request.getFirst(HttpHeaders.RANGE), size);
        String ifRange = request.getFirst(HttpHeaders.IF_RANGE);
        if (range != null && range != ByteRange.UNSATISFIABLE && ifRange != null
                && !ifRange.equals("\"" + blob.sha256() + "\"")) {
            range = null;
        }
        int status;
        if (ifNoneMatch.contains("\"" + blob.sha256() + "\"") || ifNoneMatch.contains("*")) {
            status = HttpServletResponse.SC_NOT_MODIFIED;
        } else if (range == ByteRange.UNSATISFIABLE) {
            status = HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE;
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
        } else {
            status = range == null ? HttpServletResponse.SC_OK : HttpServletResponse.SC_PARTIAL_CONTENT;
            headers.set(HttpHeaders.CONTENT_TYPE, blob.contentType());
        }
        long from = range == null || range == ByteRange.UNSATISFIABLE ? 0 : range[0];
        long to = range == null || range == ByteRange.UNSATISFIABLE ? size - 1 : range[1];
        if (status == HttpServletResponse.SC_PARTIAL_CONTENT) {
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
        }
        response.setStatus(status);
        headers.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        if (status != HttpServletResponse.SC_OK && status != HttpServletResponse.SC_PARTIAL_CONTENT) {
            response.setContentLength(0);
            return;
        }
        response.setContentLengthLong(to - from + 1);
        if (to >= from) {
            store.read(projectId, blob.sha256(), from, to, response.getOutputStream());
        }
        response.flushBuffer();
    }

    /** Removes the bytes of a blob whose row the caller is deleting in its transaction. */
    void deleteBytes(long projectId, String sha256) {
        try {
            store.delete(projectId, sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
