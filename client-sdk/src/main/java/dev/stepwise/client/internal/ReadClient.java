package dev.stepwise.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read-back requests of {@code StepwiseApi} ({@code GET} with a query, {@code DELETE}), each
 * retried with the client's {@link Retrier}: I/O errors, 408, 429 and 5xx, never other 4xx.
 * Not API: may change without notice. Thread-safe.
 */
public final class ReadClient {

    /** A failed request: the last status (0 when no answer came) and the reason. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Failure(int status, String reason) {
            super(reason);
            this.status = status;
        }

        /** @return the last HTTP status, or 0 when no answer came */
        public int status() {
            return status;
        }
    }

    private final HttpClient client;
    private final String apiRoot;
    private final String apiKey;
    private final Retrier retrier;
    private final Duration deadline;

    /**
     * Creates the client from the settings of a {@code Stepwise} client.
     *
     * @param settings the settings; {@code baseUrl} must be set
     */
    public ReadClient(Settings settings) {
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
        this.apiRoot = HttpApi.normalizeBaseUrl(settings.baseUrl()) + "/api/v1";
        this.apiKey = settings.apiKey();
        this.retrier = new Retrier(settings.retryPolicy(), settings.sleeper(), settings.clock(),
                settings.requestTimeout(), new Counters());
        // One request with its retries may take this long before it fails.
        this.deadline = settings.requestTimeout().multipliedBy(Math.max(1, settings.retryPolicy().maxAttempts()))
                .plus(settings.retryPolicy().maxBackoff().multipliedBy(settings.retryPolicy().maxAttempts()));
    }

    /**
     * Encodes one path segment or query value.
     *
     * @param s the text
     * @return the percent-encoded text
     */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Builds a query string from name/value pairs, repeating names with several values.
     *
     * @param params name to values; null values are skipped
     * @return {@code ?a=1&b=2}, or an empty string
     */
    public static String query(Map<String, List<String>> params) {
        List<String> parts = new ArrayList<>();
        params.forEach((name, values) -> {
            for (String v : values) {
                if (v != null) {
                    parts.add(encode(name) + "=" + encode(v));
                }
            }
        });
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    /**
     * Sends a {@code GET} and parses the JSON answer.
     *
     * @param path path under {@code /api/v1}, with its query
     * @return the JSON tree (see {@link Json})
     * @throws Failure when the server refused or could not be reached
     * @throws InterruptedException when interrupted
     */
    public Object get(String path) throws Failure, InterruptedException {
        HttpApi.Response r = send("GET", path);
        try {
            return Json.read(r.body());
        } catch (IOException e) {
            throw new Failure(r.status(), "GET " + path + ": the answer is not JSON: " + e.getMessage());
        }
    }

    /**
     * Sends a {@code DELETE}.
     *
     * @param path path under {@code /api/v1}
     * @throws Failure when the server refused or could not be reached
     * @throws InterruptedException when interrupted
     */
    public void delete(String path) throws Failure, InterruptedException {
        send("DELETE", path);
    }

    private HttpApi.Response send(String method, String path) throws Failure, InterruptedException {
        Retrier.Outcome o = retrier.execute(timeout -> once(method, path, timeout),
                System.nanoTime() + deadline.toNanos());
        if (o.kind() == Retrier.Kind.OK) {
            return o.response();
        }
        throw new Failure(o.response() == null ? 0 : o.response().status(), method + " " + path + ": " + o.reason());
    }

    private HttpApi.Response once(String method, String path, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(apiRoot + path)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "stepwise-java")
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (apiKey != null && !apiKey.isEmpty()) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<byte[]> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new HttpApi.Response(r.statusCode(), r.body() == null ? new byte[0] : r.body(),
                r.headers().firstValue("Retry-After").orElse(null),
                r.headers().firstValue("Content-Type").orElse(null));
    }
}
