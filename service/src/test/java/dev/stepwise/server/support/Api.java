package dev.stepwise.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests that talk to the service over real HTTP. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** How a request authenticates. */
    public sealed interface Auth permits None, Basic, Bearer, Session {}

    public record None() implements Auth {}

    public record Basic(String username, String password) implements Auth {}

    public record Bearer(String key) implements Auth {}

    /** A logged-in browser: cookies plus the CSRF header taken from the XSRF-TOKEN cookie. */
    public record Session(HttpClient client, CookieManager cookies) implements Auth {
        String csrfToken() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("XSRF-TOKEN")).map(java.net.HttpCookie::getValue)
                    .findFirst().orElse(null);
        }
    }

    public static final Auth ANONYMOUS = new None();

    /** A response with its body parsed lazily as JSON. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Api(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Response get(String path, Auth auth) {
        return send("GET", path, auth, null);
    }

    public Response post(String path, Auth auth, Object body) {
        return send("POST", path, auth, body);
    }

    public Response put(String path, Auth auth, Object body) {
        return send("PUT", path, auth, body);
    }

    public Response patch(String path, Auth auth, Object body) {
        return send("PATCH", path, auth, body);
    }

    public Response delete(String path, Auth auth) {
        return send("DELETE", path, auth, null);
    }

    /** Sends a request; {@code body} is a JSON string, a byte array, or an object serialized as JSON. */
    public Response send(String method, String path, Auth auth, Object body) {
        return send(method, path, auth, body, Map.of());
    }

    public Response send(String method, String path, Auth auth, Object body, Map<String, String> headers) {
        byte[] bytes = body == null ? null
                : body instanceof byte[] raw ? raw
                : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpClient http = client;
        if (auth instanceof Basic basic) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((basic.username() + ":" + basic.password()).getBytes(StandardCharsets.UTF_8)));
        } else if (auth instanceof Bearer bearer) {
            request.header("Authorization", "Bearer " + bearer.key());
        } else if (auth instanceof Session session) {
            http = session.client();
            String token = session.csrfToken();
            if (token != null && !method.equals("GET")) {
                request.header("X-XSRF-TOKEN", token);
            }
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in through {@code POST /auth/login} and returns the resulting browser session. */
    public Session login(String username, String password) {
        CookieManager cookies = new CookieManager();
        Session session = new Session(HttpClient.newBuilder().cookieHandler(cookies).build(), cookies);
        Response response = send("POST", "/api/v1/auth/login", session,
                Map.of("username", username, "password", password));
        if (response.status() != 200) {
            throw new IllegalStateException("login failed: " + response);
        }
        // Fetch a CSRF token for later state-changing requests.
        send("GET", "/api/v1/auth/csrf", session, null);
        return session;
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
