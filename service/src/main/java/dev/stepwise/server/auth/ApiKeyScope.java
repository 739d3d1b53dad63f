package dev.stepwise.server.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a project API key may do: {@code read}, or {@code write} (which implies read). */
public enum ApiKeyScope {
    READ, WRITE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ApiKeyScope parse(String value) {
        for (ApiKeyScope scope : values()) {
            if (scope.wire().equalsIgnoreCase(value)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("scope must be 'read' or 'write'");
    }
}
