package dev.stepwise.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The frontend generates its API types from {@code frontend/openapi.json}; this keeps that copy equal to the
 * document the service serves, so a changed DTO cannot leave the UI compiling against an old contract.
 */
class OpenApiSnapshotTests extends ApiTest {

    /** Surefire runs in the service module's directory. */
    private static final Path SNAPSHOT = Path.of("..", "frontend", "openapi.json");

    /** {@code -Dopenapi.snapshot.write=true} rewrites the snapshot from the live document instead of failing. */
    private static final String WRITE_PROPERTY = "openapi.snapshot.write";

    private static final String REFRESH = "mvn -B -q -pl service -am -Dtest=OpenApiSnapshotTests"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true verify";

    @Test
    void frontendSnapshotMatchesTheServedDocument() throws IOException {
        Api.Response response = api.get("/v3/api-docs", Api.ANONYMOUS);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        ObjectNode live = (ObjectNode) response.json();
        // The server URL carries the random test port; it is not part of the contract.
        live.remove("servers");

        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(SNAPSHOT, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(live) + "\n");
        }

        assertThat(SNAPSHOT).as("%s is missing; create it with%n  %s", SNAPSHOT.normalize(), REFRESH).exists();
        JsonNode snapshot = Api.JSON.readTree(Files.readString(SNAPSHOT));
        List<String> differences = new ArrayList<>();
        collectDifferences("", snapshot, live, differences);
        assertThat(differences)
                .as("""
                        The OpenAPI document differs from %s (paths below: snapshot vs. live).
                        Refresh the snapshot, then regenerate the frontend types (npm run generate:api) and fix
                        what no longer compiles:
                          %s
                        """, SNAPSHOT.normalize(), REFRESH)
                .isEmpty();
    }

    /** JSON pointers where {@code expected} and {@code actual} differ; object key order is ignored. */
    private static void collectDifferences(String pointer, JsonNode expected, JsonNode actual, List<String> out) {
        if (out.size() >= 50 || expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>(expected.propertyNames());
            names.addAll(actual.propertyNames());
            for (String name : names) {
                String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name)) {
                    out.add(child + ": only in the live document");
                } else if (!actual.has(name)) {
                    out.add(child + ": only in the snapshot");
                } else {
                    collectDifferences(child, expected.get(name), actual.get(name), out);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                collectDifferences(pointer + "/" + i, expected.get(i), actual.get(i), out);
            }
        } else {
            out.add((pointer.isEmpty() ? "/" : pointer) + ": " + abbreviate(expected) + " vs. " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
