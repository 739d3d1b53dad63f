package dev.stepwise.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The Stepwise HTTP API v1 as the SDK uses it, on {@link java.net.http.HttpClient}.
 * Every method performs exactly one request; retrying is {@link Retrier}'s job.
 * Not API: may change without notice. Thread-safe.
 */
public final class HttpApi {

    /** One HTTP answer. */
    public record Response(int status, byte[] body, String retryAfter, String contentType) {
        /** @return whether the status is 2xx */
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** @return the RFC 9457 {@code detail} or {@code title}, else a prefix of the body */
        public String reason() {
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                Map<String, Object> problem = Json.readObject(body);
                Object detail = problem.get("detail");
                Object title = problem.get("title");
                if (detail != null) {
                    return String.valueOf(detail);
                }
                if (title != null) {
                    return String.valueOf(title);
                }
            } catch (IOException | RuntimeException ignored) {
                // not JSON: fall through to the raw text
            }
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    private final HttpClient client;
    private final String apiRoot;
    private final String apiKey;
    private final Duration requestTimeout;

    /**
     * Creates the API client.
     *
     * @param baseUrl server root, such as {@code http://localhost:8080}
     * @param apiKey bearer key, or {@code null}
     * @param connectTimeout connection timeout
     * @param requestTimeout per-request timeout
     */
    public HttpApi(String baseUrl, String apiKey, Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.apiRoot = normalizeBaseUrl(baseUrl) + "/api/v1";
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Normalizes a base URL: strips trailing slashes and a trailing {@code /api/v1}.
     *
     * @param baseUrl the URL as configured
     * @return the server root
     */
    public static String normalizeBaseUrl(String baseUrl) {
        String u = baseUrl.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith("/api/v1")) {
            u = u.substring(0, u.length() - "/api/v1".length());
        }
        return u;
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return the path of a project's runs collection */
    static String runsPath(String project) {
        return "/projects/" + seg(project) + "/runs";
    }

    static String runPath(String project, UUID run) {
        return runsPath(project) + "/" + run;
    }

    /**
     * Creates or resumes a run.
     *
     * @param project project slug
     * @param body the create request
     * @return the answer (201 created, 200 resumed)
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response createRun(String project, Map<String, Object> body) throws IOException, InterruptedException {
        return send("POST", runsPath(project), Json.toBytes(body), false, null);
    }

    /**
     * Changes a run, for example its status.
     *
     * @param project project slug
     * @param run run id
     * @param body fields to change
     * @return the answer
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response patchRun(String project, UUID run, Map<String, Object> body)
            throws IOException, InterruptedException {
        return send("PATCH", runPath(project, run), Json.toBytes(body), false, null);
    }

    /**
     * Uploads a gzip-compressed metrics batch.
     *
     * @param project project slug
     * @param run run id
     * @param gzippedBody the gzip-compressed {@code {batchId, points}} JSON
     * @param timeout request timeout, or {@code null} for the default
     * @return the answer
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response postMetrics(String project, UUID run, byte[] gzippedBody, Duration timeout)
            throws IOException, InterruptedException {
        return send("POST", runPath(project, run) + "/metrics", gzippedBody, true, timeout);
    }

    /**
     * Sends a heartbeat for an open run.
     *
     * @param project project slug
     * @param run run id
     * @return the answer (204)
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response heartbeat(String project, UUID run) throws IOException, InterruptedException {
        return send("POST", runPath(project, run) + "/heartbeat", new byte[0], false, null);
    }

    /**
     * Records an artifact reference.
     *
     * @param project project slug
     * @param run run id
     * @param body {@code {name, uri, kind?, description?, sizeBytes?, sha256?}}
     * @return the answer (201)
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response postArtifact(String project, UUID run, Map<String, Object> body)
            throws IOException, InterruptedException {
        return send("POST", runPath(project, run) + "/artifacts", Json.toBytes(body), false, null);
    }

    /**
     * Lists the metric keys of a run with their statistics.
     *
     * @param project project slug
     * @param run run id
     * @return the answer
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response getMetrics(String project, UUID run) throws IOException, InterruptedException {
        return send("GET", runPath(project, run) + "/metrics", null, false, null);
    }

    /**
     * Downloads a run as TrainLog JSON.
     *
     * @param project project slug
     * @param run run id
     * @return the answer
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response exportTrainLog(String project, UUID run) throws IOException, InterruptedException {
        return send("GET", runPath(project, run) + "/export/trainlog", null, false, null);
    }

    /**
     * Imports TrainLog JSON as a new run.
     *
     * @param project project slug
     * @param trainLogJson the TrainLog JSON bytes
     * @return the answer (201 run)
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response importTrainLog(String project, byte[] trainLogJson) throws IOException, InterruptedException {
        return send("POST", "/projects/" + seg(project) + "/import/trainlog", trainLogJson, false, null);
    }

    /**
     * Gzip-compresses bytes.
     *
     * @param raw the bytes
     * @return the compressed bytes
     */
    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Uploads a blob, content-addressed.
     *
     * @param project project slug
     * @param sha256 the SHA-256 of the bytes, lower-case hex
     * @param contentType the bytes' type
     * @param bytes the bytes
     * @param timeout request timeout, or {@code null} for the default
     * @return the answer (201 stored, 200 already stored)
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response putBlob(String project, String sha256, String contentType, byte[] bytes, Duration timeout)
            throws IOException, InterruptedException {
        return send("PUT", "/projects/" + seg(project) + "/blobs/" + seg(sha256), bytes, false, timeout, contentType);
    }

    /**
     * Uploads a gzip-compressed media batch.
     *
     * @param project project slug
     * @param run run id
     * @param gzippedBody the gzip-compressed {@code {batchId, items}} JSON
     * @param timeout request timeout, or {@code null} for the default
     * @return the answer
     * @throws IOException on transport failure
     * @throws InterruptedException when interrupted
     */
    public Response postMedia(String project, UUID run, byte[] gzippedBody, Duration timeout)
            throws IOException, InterruptedException {
        return send("POST", runPath(project, run) + "/media", gzippedBody, true, timeout);
    }

    private Response send(String method, String path, byte[] body, boolean gzipped, Duration timeout)
            throws IOException, InterruptedException {
        return send(method, path, body, gzipped, timeout, "application/json");
    }

    private Response send(String method, String path, byte[] body, boolean gzipped, Duration timeout,
            String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(apiRoot + path))
                .timeout(timeout != null ? timeout : requestTimeout)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "stepwise-java");
        if (apiKey != null && !apiKey.isEmpty()) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        if (body == null) {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            rb.header("Content-Type", contentType);
            if (gzipped) {
                rb.header("Content-Encoding", "gzip");
            }
            rb.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<byte[]> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body() == null ? new byte[0] : r.body(),
                r.headers().firstValue("Retry-After").orElse(null),
                r.headers().firstValue("Content-Type").orElse(null));
    }
}
