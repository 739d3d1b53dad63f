package dev.stepwise.bench.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The few API calls the benchmark makes, over one HTTP/1.1 client with keep-alive connections. */
final class StepwiseApi {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String authorization;

    private StepwiseApi(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static StepwiseApi admin(URI base, String username, String password) {
        return new StepwiseApi(base, "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** The same server with a project API key. */
    StepwiseApi withKey(String key) {
        return new StepwiseApi(base, "Bearer " + key);
    }

    /** Creates a project (the caller becomes OWNER). */
    void createProject(String slug) throws IOException, InterruptedException {
        send(post("/api/v1/projects", "{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\"}"), 201);
    }

    /** Creates an API key ({@code read} or {@code write}) for the project and returns the key itself. */
    String createKey(String slug, String scope) throws IOException, InterruptedException {
        return JSON.readTree(send(post("/api/v1/projects/" + slug + "/api-keys",
                "{\"name\":\"benchmark-" + scope + "\",\"scope\":\"" + scope + "\"}"), 201)).get("key").asString();
    }

    /** Creates a run with a client-chosen id; {@code extraJson} is more fields, e.g. {@code ,"group":"g"}. */
    void createRun(String slug, UUID id, String name, String extraJson) throws IOException, InterruptedException {
        send(post("/api/v1/projects/" + slug + "/runs",
                "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"" + extraJson + "}"), 201);
    }

    /** Deletes a run and all its data. */
    void deleteRun(String slug, UUID id) throws IOException, InterruptedException {
        send(request("/api/v1/projects/" + slug + "/runs/" + id).DELETE().build(), 204);
    }

    /** Uploads one gzip-compressed {@code {batchId, points}} body; fails unless all {@code expected} points were accepted. */
    void uploadGzipped(String slug, UUID run, byte[] body, int expected) throws IOException, InterruptedException {
        HttpRequest request = request(metricsPath(slug, run)).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        checkAccepted(send(request, 200), expected);
    }

    /** Uploads one plain JSON {@code {batchId, points}} body. */
    void upload(String slug, UUID run, String body, int expected) throws IOException, InterruptedException {
        checkAccepted(send(post(metricsPath(slug, run), body), 200), expected);
    }

    /** GETs a path (with its query already encoded) and returns the body; fails unless 200. */
    String get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET().build(), 200);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    private static String metricsPath(String slug, UUID run) {
        return "/api/v1/projects/" + slug + "/runs/" + run + "/metrics";
    }

    private static void checkAccepted(String response, int expected) {
        JsonNode result = JSON.readTree(response);
        if (result.get("accepted").asInt() != expected || result.get("duplicate").asBoolean()) {
            throw new IllegalStateException("expected " + expected + " points accepted, got " + response);
        }
    }

    private HttpRequest post(String path, String json) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization);
    }

    private String send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
